import CircleClient
import CircleCore
import CircleProtocol
import CircleServer
import CircleTestSupport
import Foundation
import Testing

extension ProcessTests {
    /// The real `circle` binary in tmux at 80x24, against a real server, read back from the screen.
    @Suite struct TerminalUITests {
        /// The shell command that runs the chat as one person, then records the terminal's mode
        /// once it exits, so a test can check it was given back sane.
        static func chat(
            _ server: TestServer, token: String, term: String = "xterm-256color", extra: String = "",
            home: String? = nil
        ) throws -> String {
            let circle = try Executable("circle").url.path
            // A config folder of its own (the input history is saved there), never the tester's.
            let home =
                home
                ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                    "circle-home-\(UUID().uuidString)"
                ).path
            // Anything the client says on stderr goes to a file, not over the screen under test.
            let log = FileManager.default.temporaryDirectory.appendingPathComponent(
                "circle-chat-\(UUID().uuidString).log"
            )
            .path
            return
                "env TERM=\(term) XDG_CONFIG_HOME=\(home) \(extra) CIRCLE_SERVER=127.0.0.1:\(server.port) CIRCLE_TOKEN=\(token) \(circle) chat 2>>\(log); "
                + "printf 'terminal-%s: ' restored; stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo"
        }

        @Test func twoMembersChat() async throws {
            let server = try await TestServer.start()
            let scenario = try await RoomScenario.start(on: server)
            let facilitatorToken = try await Self.token(of: scenario)
            let (sam, samToken) = try await scenario.member("Sam")
            await sam.close()
            // One tmux server each, as two people on two machines would be.
            let tmux = Tmux()
            let other = Tmux()
            defer {
                tmux.killNow()
                other.killNow()
            }
            try await other.start(
                "sam", command: try Self.chat(server, token: samToken, term: "screen", extra: "NO_COLOR=1"))
            try await other.waitFor("sam", "● connected │ Tuesday group")
            try await tmux.start("dana", command: try Self.chat(server, token: facilitatorToken))
            try await tmux.waitFor("dana", "● connected │ Tuesday group │ session 1 open")

            try await tmux.type("dana", "Welcome, everyone. How was your week?")
            try await other.waitFor("sam", "@Dana: Welcome, everyone. How was your week?")
            try await other.type("sam", "Hard, but I kept my walk going 🚶 three times. 界界")
            let screen = try await tmux.waitFor("dana", "Sam: Hard, but I kept my walk going 🚶 three times. 界界")
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count >= 24)
            #expect(lines[22].contains("Dana (facilitator)"))
            #expect(lines[23].hasPrefix(">"))

            // Ctrl-C quits and gives the terminal back with echo and line editing on.
            try await other.keys("sam", "C-c")
            let after = try await other.waitFor("sam") { $0.contains("terminal-restored: ") && $0.contains("icanon") }
            #expect(after.contains("icanon echo") || after.contains("echo icanon"))
            #expect(!after.contains("-icanon") && !after.contains("-echo"))
            await scenario.facilitator.close()
            try await server.stop()
        }

        /// A PHQ-9 round in the real client: each item in its wording, answered with a number,
        /// and the answers go with the check-in that follows.
        @Test func aMemberAnswersThePHQ9ItemByItem() async throws {
            let (server, scenario, samID, tmux) = try await Self.samChatting(width: 120, height: 30)
            defer { tmux.killNow() }
            let _: Reply.Appended = try await scenario.facilitator.request(
                .roundStart(.init(room: scenario.room, prompt: "How was the week?", instrument: "phq9")))
            try await tmux.waitFor("sam", "PHQ-9 1 of 9: Little interest or pleasure in doing things")
            let screen = try await tmux.waitFor("sam", "0 Not at all · 1 Several days")
            #expect(screen.contains("Over the last 2 weeks"), "\(screen)")
            let answers = [1, 2, 0, 1, 0, 0, 1, 0, 0]
            for (index, answer) in answers.enumerated() {
                try await tmux.type("sam", String(answer))
                if index + 1 < answers.count {
                    try await tmux.waitFor("sam", "PHQ-9 \(index + 2) of 9:")
                }
            }
            try await tmux.waitFor("sam", "Your PHQ-9 answers go with your check-in")
            try await tmux.type("sam", "/checkin | Call my sister")
            try await tmux.waitFor("sam", "Call my sister")
            let history: Reply.History = try await scenario.facilitator.request(.history(.init(room: scenario.room)))
            let recorded = history.events.compactMap { event -> CheckIn? in
                guard case .checkInPrivate(samID, let checkIn) = event.body else { return nil }
                return checkIn
            }
            #expect(recorded.first?.answers == answers && recorded.first?.score == 5, "\(recorded)")
            await scenario.facilitator.close()
            try await server.stop()
        }

        /// A message naming you rings the bell, unless CIRCLE_BELL=0 says not to; either way it
        /// stands out on the screen.
        @Test func aMentionRingsTheBellUnlessItIsTurnedOff() async throws {
            let (server, scenario, samToken) = try await Self.roomWithSam()
            let tmux = Tmux()
            defer { tmux.killNow() }
            try await tmux.start("loud", command: try Self.chat(server, token: samToken))
            try await tmux.start("quiet", command: try Self.chat(server, token: samToken, extra: "CIRCLE_BELL=0"))
            for session in ["loud", "quiet"] { try await tmux.waitFor(session, "● connected │ Tuesday group") }
            func rang(_ session: String) async throws -> Bool {
                try await tmux.run(["display-message", "-p", "-t", session, "#{window_bell_flag}"]).hasPrefix("1")
            }
            try await scenario.say(scenario.facilitator, "Welcome, everyone.")
            for session in ["loud", "quiet"] { try await tmux.waitFor(session, "@Dana: Welcome, everyone.") }
            #expect(try await rang("loud") == false)
            try await scenario.say(scenario.facilitator, "Sam, would you like to start?")
            for session in ["loud", "quiet"] { try await tmux.waitFor(session, "@Dana: Sam, would you like to start?") }
            // The bell is written before the screen that shows the message, so it has rung by now.
            #expect(try await rang("loud"))
            #expect(try await rang("quiet") == false)
            await scenario.facilitator.close()
            try await server.stop()
        }

        /// A facilitator's side room is offered: the member's screen stays with the group until
        /// they choose to go, and `/join side` takes them there.
        @Test func aSideRoomIsOfferedNotForced() async throws {
            let (server, scenario, samID, tmux) = try await Self.samChatting(width: 120, height: 24)
            defer { tmux.killNow() }
            let side: Reply.SideOpened = try await scenario.facilitator.request(
                .sideOpen(.init(room: scenario.room, member: samID)))
            let offered = try await tmux.waitFor("sam", "Dana asks to talk with you in a side room")
            #expect(offered.contains("● connected │ Tuesday group"), "\(offered)")
            // At 120 columns the member list sits beside the messages.
            #expect(offered.contains("│ Members: 1 of 2 here") && offered.contains("│ 2 ● Sam"), "\(offered)")
            try await scenario.say(scenario.facilitator, "Back to the group in a moment.")
            try await tmux.waitFor("sam", "@Dana: Back to the group in a moment.")
            try await tmux.type("sam", "/join side")
            try await tmux.waitFor("sam", "● connected │ Side: Dana & Sam │ session 1 open")
            try await tmux.type("sam", "It has been a hard week.")
            try await tmux.waitFor("sam", "Sam: It has been a hard week.")
            let history: Reply.History = try await scenario.facilitator.request(.history(.init(room: side.room)))
            #expect(history.events.contains { $0.actor == samID && $0.clientID != nil })
            await scenario.facilitator.close()
            try await server.stop()
        }

        /// Ctrl-C over a draft asks first; after a restart, what was sent comes back with Up and
        /// what was said meanwhile is marked as new.
        @Test func ctrlCOverADraftAsksAndHistorySurvivesARestart() async throws {
            let (server, scenario, samToken) = try await Self.roomWithSam()
            let home = try TemporaryFolder()
            let tmux = Tmux()
            defer { tmux.killNow() }
            let command = try Self.chat(server, token: samToken, home: home.path)
            try await tmux.start("sam", command: command)
            try await tmux.waitFor("sam", "● connected │ Tuesday group")
            try await tmux.type("sam", "A line worth keeping.")
            try await tmux.waitFor("sam", "Sam: A line worth keeping.")
            try await tmux.type("sam", "half a thought", enter: false)
            try await tmux.keys("sam", "C-c")
            let asked = try await tmux.waitFor("sam", "Press Ctrl-C again to quit")
            #expect(asked.contains("> half a thought"))
            try await tmux.keys("sam", "C-c")
            try await tmux.waitFor("sam", "terminal-restored: ")
            let mode = try FileManager.default.attributesOfItem(atPath: home.path + "/circle/history.json")
            #expect(mode[.posixPermissions] as? Int == 0o600)

            // Said while Sam was away: the next run marks it as new.
            try await scenario.say(scenario.facilitator, "Said while you were away.")
            try await tmux.run(["respawn-pane", "-k", "-t", "sam", "/bin/sh"])
            try await tmux.type("sam", "exec /bin/sh -c '\(command.replacingOccurrences(of: "'", with: "'\\''"))'")
            try await tmux.waitFor("sam", "● connected │ Tuesday group")
            let back = try await tmux.waitFor("sam", "@Dana: Said while you were away.")
            let rows = back.split(separator: "\n")
            let mark = rows.firstIndex { $0.contains("new since you were last here") }
            #expect(mark != nil && rows[mark! + 1].contains("Said while you were away."), "\(back)")
            #expect(FileManager.default.fileExists(atPath: home.path + "/circle/seen.json"))
            try await tmux.keys("sam", "Up")
            try await tmux.waitFor("sam", "> A line worth keeping.")
            await scenario.facilitator.close()
            try await server.stop()
        }

        /// After a kick, and when a timed ban ends, the member's chat is live again: what they
        /// type is sent and shown as sent, others' messages arrive, and a risk phrase brings the
        /// crisis card at once.
        @Test func aMembersChatIsLiveAgainAfterAKickAndWhenABanEnds() async throws {
            // The server's clock moves when the test says: the ban ends without waiting for it.
            let clock = ManualClock(now: SystemClock().now())
            let (server, scenario, samID, tmux) = try await Self.samChatting(width: 80, height: 24, clock: clock)
            defer { tmux.killNow() }

            let _: Reply.Appended = try await scenario.facilitator.request(
                .memberKick(.init(room: scenario.room, member: samID, reason: "Take a breather.")))
            try await tmux.waitFor("sam", "Take a breather.")
            try await tmux.type("sam", "back after the kick")
            // Shown as sent: the line without "(sending…)" (it has it for a moment while sent).
            try await tmux.waitFor("sam") { $0.contains("Sam: back after the kick") && !$0.contains("(sending…)") }
            try await scenario.say(scenario.facilitator, "Welcome back, Sam.")
            try await tmux.waitFor("sam", "Welcome back, Sam.")

            let _: Reply.Appended = try await scenario.facilitator.request(
                .memberBan(.init(room: scenario.room, member: samID, duration: 600, reason: "A short pause.")))
            try await tmux.waitFor("sam", "A short pause.")
            // While the ban holds, what is typed is not sent, and says so.
            try await tmux.type("sam", "during the ban")
            try await tmux.waitFor("sam") { $0.contains("Not sent: \"during the ban\".") && !$0.contains("(sending…)") }
            // When the ban ends the server says so, and the chat follows the room again on its own.
            clock.advance(by: 600_000)
            try await tmux.waitFor("sam", "Sam's ban has ended")
            try await scenario.say(scenario.facilitator, "The pause is over.")
            try await tmux.waitFor("sam", "The pause is over.")
            try await tmux.type("sam", "I want to die")
            try await tmux.waitFor("sam", "You are not alone")
            try await tmux.waitFor("sam") { $0.contains("Sam: I want to die") && !$0.contains("(sending…)") }
            await scenario.facilitator.close()
            try await server.stop()
        }

        /// A signed-out screen says so in words, and what is typed to sign back in is not
        /// thrown away: it runs once the chat is signed in again.
        @Test func whatIsTypedAfterASignOutRunsOnceSignedIn() async throws {
            let server = try await TestServer.start { $0.idleLogoffSeconds = 2 }
            let tmux = try await Self.facilitatorChat(on: server, openSession: false)
            defer { tmux.killNow() }
            let out = try await tmux.waitFor("dana", "○ signed out: press Enter to sign in")
            #expect(!out.contains("reconnecting in"))
            try await tmux.type("dana", "/open")
            try await tmux.waitFor("dana", "session 1 open")
            try await server.stop()
        }

        /// A message over the server's limit is refused on the spot with the limit in the
        /// sentence, and what is typed after it goes out as usual.
        @Test func aTooLongMessageIsRefusedBeforeItIsSentAndHoldsNothingBack() async throws {
            let server = try await TestServer.start()
            let tmux = try await Self.facilitatorChat(on: server)
            defer { tmux.killNow() }
            try await tmux.type("dana", String(repeating: "x", count: TextRules.maxMessageLength + 1))
            try await tmux.waitFor("dana", "A message may be at most 4000 characters; this one has 4001.")
            try await tmux.type("dana", "after the long one")
            try await tmux.waitFor("dana") { $0.contains("Dana: after the long one") && !$0.contains("(sending…)") }
            try await server.stop()
        }

        @Test func reconnectsAfterTheServerRestartsAndSendsWhatWasTypedOnce() async throws {
            let folder = try TemporaryFolder()
            let server = try await TestServer.start(folder: folder)
            let port = server.port
            let scenario = try await RoomScenario.start(on: server)
            let facilitatorToken = try await Self.token(of: scenario)
            await scenario.facilitator.close()
            let tmux = Tmux()
            defer { tmux.killNow() }
            try await tmux.start("dana", command: try Self.chat(server, token: facilitatorToken))
            try await tmux.waitFor("dana", "● connected")

            try await server.stop()
            try await tmux.waitFor("dana", "reconnecting in")
            try await tmux.type("dana", "typed while the server was away")
            try await tmux.waitFor("dana", "typed while the server was away (sending…)")
            try await tmux.waitFor("dana", "1 unsent")

            let restarted = try await TestServer.start(folder: folder) { $0.port = port }
            try await tmux.waitFor("dana") {
                $0.contains("● connected") && $0.contains("typed while the server was away") && !$0.contains("sending…")
            }
            let reader = try await restarted.connect(token: facilitatorToken)
            let history: Reply.History = try await reader.request(.history(.init(room: scenario.room, limit: 100)))
            let copies = history.events.filter {
                if case .message(let text, _) = $0.body { return text == "typed while the server was away" }
                return false
            }
            #expect(copies.count == 1)
            await reader.close()
            try await restarted.stop()
        }

        @Test func aFacilitatorRunsASessionFromTheUIAlone() async throws {
            let server = try await TestServer.start()
            let token = try server.addFacilitator("Dana")
            let tmux = Tmux()
            defer { tmux.killNow() }
            try await tmux.start("dana", command: try Self.chat(server, token: token))
            try await tmux.waitFor("dana", "● connected")
            try await tmux.type("dana", "/room create Friday group")
            try await tmux.waitFor("dana", "│ Friday group │ no session open")
            try await tmux.type("dana", "/invite 3 2d")
            let invited = try await tmux.waitFor("dana", "Invite code ")
            #expect(invited.contains("for 3"))
            try await tmux.type("dana", "/open")
            try await tmux.waitFor("dana", "│ session 1 open")
            try await tmux.type("dana", "Welcome, everyone.")
            try await tmux.waitFor("dana", "@Dana: Welcome, everyone.")
            try await tmux.type("dana", "/close")
            try await tmux.waitFor("dana", "* Dana closed session 1")
            try await server.stop()
        }

        @Test func redrawsWhenTheWindowIsResized() async throws {
            let server = try await TestServer.start()
            let scenario = try await RoomScenario.start(on: server)
            let token = try await Self.token(of: scenario)
            try await scenario.say(
                scenario.facilitator, "A long first share that will need to wrap once the window is narrow.")
            let tmux = Tmux()
            defer { tmux.killNow() }
            try await tmux.start("dana", command: try Self.chat(server, token: token))
            let wide = try await tmux.waitFor(
                "dana", "@Dana: A long first share that will need to wrap once the window is")
            #expect(wide.contains("      narrow."))
            try await tmux.run(["resize-window", "-t", "dana", "-x", "50", "-y", "15"])
            let narrow = try await tmux.waitFor("dana") { screen in
                screen.contains("@Dana: A long first share that will need to\n      wrap once the window is narrow.")
            }
            #expect(narrow.split(separator: "\n", omittingEmptySubsequences: false).count <= 16)
            // The least needed give way at 50 columns: "connected" to its mark, then who you are.
            #expect(narrow.contains(" ● │ Tuesday group │ session 1 open"))
            for line in narrow.split(separator: "\n") { #expect(line.count <= 50) }
            await scenario.facilitator.close()
            try await server.stop()
        }

        /// A room with an open session and Sam as a member, signed out again: the chat under
        /// test signs in with the token.
        static func roomWithSam(clock: any Clock = SystemClock()) async throws -> (TestServer, RoomScenario, String) {
            let server = try await TestServer.start(clock: clock)
            let scenario = try await RoomScenario.start(on: server)
            let (sam, samToken) = try await scenario.member("Sam")
            await sam.close()
            return (server, scenario, samToken)
        }

        /// A room with an open session, and Sam in the real chat at this size, connected.
        static func samChatting(width: Int, height: Int, clock: any Clock = SystemClock()) async throws -> (
            TestServer, RoomScenario, AccountID, Tmux
        ) {
            let (server, scenario, samToken) = try await Self.roomWithSam(clock: clock)
            let samID = try #require(try server.store.account(forToken: samToken)).id
            let tmux = Tmux()
            try await tmux.start("sam", width: width, height: height, command: try Self.chat(server, token: samToken))
            try await tmux.waitFor("sam", "● connected │ Tuesday group")
            return (server, scenario, samID, tmux)
        }

        /// The facilitator's token: the scenario made it on the server; read it back from there.
        /// A room with its facilitator, Dana, in the real chat in tmux (session "dana"), connected.
        static func facilitatorChat(on server: TestServer, openSession: Bool = true) async throws -> Tmux {
            let scenario = try await RoomScenario.start(on: server, openSession: openSession)
            let token = try await Self.token(of: scenario)
            await scenario.facilitator.close()
            let tmux = Tmux()
            do {
                try await tmux.start("dana", command: try Self.chat(server, token: token))
                try await tmux.waitFor("dana", "● connected")
            } catch {
                tmux.killNow()
                throw error
            }
            return tmux
        }

        static func token(of scenario: RoomScenario) async throws -> String {
            guard let token = scenario.facilitatorToken else { throw ClientError.usage("no token") }
            return token
        }
    }
}
