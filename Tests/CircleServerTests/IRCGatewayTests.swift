import CircleClient
import CircleCore
import CircleProtocol
import Testing

/// The IRC gateway over loopback TCP, with a scripted IRC client beside Circle's own: the same
/// rooms, handlers and role table, read and written as IRC.
@Suite struct IRCGatewayTests {
    private static func start() async throws -> (TestServer, RoomScenario, Int) {
        let server = try await TestServer.start { $0.irc = ("127.0.0.1", 0) }
        let scenario = try await RoomScenario.start(on: server)
        return (server, scenario, try #require(server.server.ircPort))
    }

    @Test func aTokenSignsInAndTheCapabilitiesAskedForAreAcknowledged() async throws {
        let (server, scenario, port) = try await Self.start()
        let irc = try await IRCTestClient.connect(port: port)
        try await irc.register(token: try #require(scenario.facilitatorToken), nick: "whatever")
        let ls = try await irc.waitFor(command: "CAP", "LS")
        #expect(ls.parameters.last?.split(separator: " ").contains("echo-message") == true)
        let ack = try await irc.waitFor(command: "CAP", "ACK")
        #expect(ack.parameters.last == "echo-message message-tags server-time")
        // The nick is the member's name in Circle, whatever the client asked for.
        let welcome = try await irc.waitFor(command: "001")
        #expect(welcome.parameters.first == "Dana")
        try await irc.waitFor(command: "422")
        try await irc.send("PING :are-you-there")
        let pong = try await irc.waitFor(command: "PONG")
        #expect(pong.parameters.last == "are-you-there")
        try await irc.send("NICK Someone_else")
        try await irc.waitFor(command: "435")
        await irc.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func aWrongTokenOrNoneIsRefusedAndTheConnectionClosed() async throws {
        let (server, scenario, port) = try await Self.start()
        let wrong = try await IRCTestClient.connect(port: port)
        try await wrong.register(token: "ct_not-a-token", nick: "guess", capabilities: [])
        let refusal = try await wrong.waitFor(command: "464")
        #expect(refusal.parameters.last?.contains("not valid") == true)
        try await wrong.waitFor(command: "ERROR")
        try await wrong.waitUntilClosed()

        let none = try await IRCTestClient.connect(port: port)
        try await none.send("NICK nobody")
        try await none.send("USER nobody 0 * :Nobody")
        let error = try await none.waitFor(command: "ERROR")
        #expect(error.parameters.last?.contains("PASS") == true)
        try await none.waitUntilClosed()
        // Nothing was let in: a command before registration is refused by name.
        let early = try await IRCTestClient.connect(port: port)
        try await early.send("JOIN #anything")
        try await early.waitFor(command: "451")
        await early.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    /// Join with history, NAMES with the facilitator marked, speech both ways in one order,
    /// and the sender's own line echoed only once it is stored.
    @Test func anIRCMemberAndACircleMemberShareOneConversation() async throws {
        let (server, scenario, port) = try await Self.start()
        try await scenario.join(scenario.facilitator)
        try await scenario.say(scenario.facilitator, "Welcome, everyone.")
        let (_, samToken) = try await scenario.member("Sam")
        let channel = "#" + scenario.room.rawValue

        let irc = try await IRCTestClient.connect(port: port)
        try await irc.register(token: samToken, nick: "sam")
        try await irc.waitFor(command: "001")
        try await irc.send("LIST")
        let listed = try await irc.waitFor(command: "322")
        #expect(listed.parameters[1] == channel)
        #expect(listed.parameters.last?.hasPrefix("Tuesday group") == true)

        try await irc.send("JOIN \(channel)")
        let join = try await irc.waitFor(command: "JOIN")
        #expect(join.source?.hasPrefix("Sam!") == true)
        let topic = try await irc.waitFor(command: "332")
        #expect(topic.parameters.last == "Tuesday group")
        let names = try await irc.waitFor(command: "353")
        #expect(Set(names.parameters.last?.split(separator: " ") ?? []) == ["@Dana", "Sam"])
        let history = try await irc.waitFor { $0.command == "PRIVMSG" && $0.parameters.last == "Welcome, everyone." }
        #expect(history.source?.hasPrefix("Dana!") == true)
        #expect(history.tag("time")?.hasSuffix("Z") == true)
        #expect(history.tag("msgid") != nil)

        try await irc.send("PRIVMSG \(channel) :Hello from irssi")
        let echo = try await irc.waitFor { $0.command == "PRIVMSG" && $0.parameters.last == "Hello from irssi" }
        #expect(echo.source?.hasPrefix("Sam!") == true)
        try await scenario.facilitator.waitForEvent { $0.body == .message(text: "Hello from irssi", clientID: nil) }
        let stored = try #require(
            scenario.facilitator.events.first { $0.body == .message(text: "Hello from irssi", clientID: nil) })
        #expect(echo.tag("msgid") == "\(scenario.room.rawValue)-\(stored.seq)")

        try await scenario.say(scenario.facilitator, "Thank you, Sam.\nWho is next?")
        let reply = try await irc.waitFor { $0.command == "PRIVMSG" && $0.parameters.last == "Thank you, Sam." }
        #expect(reply.source?.hasPrefix("Dana!") == true)
        try await irc.waitFor { $0.command == "PRIVMSG" && $0.parameters.last == "Who is next?" }

        // The conversation reads in the same order on both sides.
        let said = irc.lines.filter { $0.command == "PRIVMSG" }.compactMap(\.parameters.last)
        #expect(said == ["Welcome, everyone.", "Hello from irssi", "Thank you, Sam.", "Who is next?"])
        await irc.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    /// The agreements gate and the role table hold for an IRC client exactly as for Circle's.
    @Test func agreementsAndRolesHoldOverIRC() async throws {
        let (server, scenario, port) = try await Self.start()
        try await scenario.join(scenario.facilitator)
        let (_, samToken) = try await scenario.member("Sam")
        let channel = "#" + scenario.room.rawValue
        let _: Reply.Appended = try await scenario.facilitator.request(
            .agreementsSet(.init(room: scenario.room, text: "We speak kindly. What is said here stays here.")))

        let irc = try await IRCTestClient.connect(port: port)
        try await irc.register(token: samToken, nick: "sam")
        try await irc.send("JOIN \(channel)")
        let notice = try await irc.waitFor { $0.command == "NOTICE" && $0.parameters.last?.contains("accept") == true }
        #expect(notice.parameters.last?.contains("We speak kindly.") == true)

        try await irc.send("PRIVMSG \(channel) :Can I talk yet?")
        let refused = try await irc.waitFor(command: "404")
        #expect(refused.parameters.last?.contains("agreements") == true)

        try await irc.send("PRIVMSG circle :accept \(channel)")
        try await irc.waitFor { $0.command == "NOTICE" && $0.parameters.last == "Done." }
        try await irc.send("PRIVMSG \(channel) :Now I can.")
        try await irc.waitFor { $0.command == "PRIVMSG" && $0.parameters.last == "Now I can." }

        // Setting the topic is a facilitator's; a member is refused with the standard numeric.
        try await irc.send("TOPIC \(channel) :My topic")
        let denied = try await irc.waitFor(command: "482")
        #expect(denied.parameters.last?.isEmpty == false)
        await irc.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    /// A facilitator runs a round from Circle's client while a member takes part from IRC,
    /// through the service nick, with the chat screen's own command words.
    @Test func aMemberOnIRCSetsAGoalAndChecksInDuringARound() async throws {
        let (server, scenario, port) = try await Self.start()
        let dana = scenario.facilitator
        try await scenario.join(dana)
        let (_, samToken) = try await scenario.member("Sam")
        let channel = "#" + scenario.room.rawValue
        let irc = try await IRCTestClient.connect(port: port)
        try await irc.register(token: samToken, nick: "sam")
        try await irc.send("JOIN \(channel)")
        try await irc.waitFor(command: "366")

        // With one channel joined, the service nick needs no channel named.
        try await irc.send("PRIVMSG circle :goal Walk every day")
        try await dana.waitForEvent {
            if case .goalSet(let goal) = $0.body { goal.text == "Walk every day" } else { false }
        }
        let goal = try #require(
            dana.events.lazy.compactMap { if case .goalSet(let goal) = $0.body { goal.id } else { nil } }.first)

        let _: Reply.Appended = try await dana.request(
            .roundStart(.init(room: scenario.room, prompt: "How did your week go?")))
        let samID = try #require(
            dana.events.first { if case .memberJoined(_, "Sam", _, _) = $0.body { true } else { false } }?.body)
        guard case .memberJoined(let sam, _, _, _) = samID else { return }
        try await dana.waitForEvent { $0.body == .turnBegan(member: sam, endsAt: nil) }
        try await irc.send("PRIVMSG circle :round who")
        let who = try await irc.waitFor { $0.command == "NOTICE" && $0.parameters.last?.contains("(now)") == true }
        #expect(who.parameters.last?.contains("Sam") == true)

        try await irc.send("PRIVMSG circle :\(channel) checkin \(goal.rawValue)=6 | Walked four days.")
        try await dana.waitForEvent { if case .checkInRecorded(sam, _) = $0.body { true } else { false } }
        let recorded = try #require(dana.events.first { if case .checkInRecorded = $0.body { true } else { false } })
        // The check-in reaches the IRC member as the room's notice, tagged with its place in the log.
        try await irc.waitFor {
            $0.command == "NOTICE" && $0.tag("msgid") == "\(scenario.room.rawValue)-\(recorded.seq)"
        }

        // A bad command is answered with the parser's own sentence, and nothing is sent.
        try await irc.send("PRIVMSG circle :checkin g1")
        let usage = try await irc.waitFor {
            $0.command == "NOTICE" && $0.parameters.last?.contains("KEY=VALUE") == true
        }
        #expect(usage.source?.hasPrefix("circle!") == true)
        await irc.close()
        await dana.close()
        try await server.stop()
    }

    /// KICK, MODE +m/-m and INVITE from a facilitator on IRC are Circle's own actions; from a
    /// member they are refused with 482 and the reason.
    @Test func aFacilitatorOnIRCModeratesWithKickModeAndInvite() async throws {
        let (server, scenario, port) = try await Self.start()
        let (sam, samToken) = try await scenario.member("Sam")
        try await scenario.join(sam)
        let channel = "#" + scenario.room.rawValue
        let dana = try await IRCTestClient.connect(port: port)
        try await dana.register(token: try #require(scenario.facilitatorToken), nick: "dana")
        try await dana.send("JOIN \(channel)")
        try await dana.waitFor(command: "366")

        try await dana.send("MODE \(channel) +m")
        try await sam.waitForEvent { $0.body == .floorModeSet(mode: .hands, seconds: nil) }
        try await dana.send("MODE \(channel)")
        try await dana.waitFor { $0.command == "324" && $0.parameters.last == "+mnt" }
        try await dana.send("MODE \(channel) -m")
        try await sam.waitForEvent { $0.body == .floorModeSet(mode: .open, seconds: nil) }

        try await dana.send("INVITE someone \(channel)")
        try await dana.waitFor { $0.command == "NOTICE" && $0.parameters.last?.hasPrefix("Invite code") == true }

        let samOnIRC = try await IRCTestClient.connect(port: port)
        try await samOnIRC.register(token: samToken, nick: "sam")
        try await samOnIRC.send("JOIN \(channel)")
        try await samOnIRC.waitFor(command: "366")
        try await samOnIRC.send("KICK \(channel) Dana :no")
        let refused = try await samOnIRC.waitFor(command: "482")
        #expect(refused.parameters.last?.isEmpty == false)

        try await dana.send("KICK \(channel) Sam :Please take a break and come back next week.")
        try await sam.waitForEvent { if case .memberKicked = $0.body { true } else { false } }
        let kick = try await dana.waitFor(command: "KICK")
        #expect(kick.parameters.prefix(2) == [channel, "Sam"])
        try await samOnIRC.waitFor(command: "KICK")
        await samOnIRC.close()
        await dana.close()
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    /// CHATHISTORY pages back by msgid, and after a drop `AFTER` the last msgid seen gives
    /// exactly what was missed, in order, in one batch.
    @Test func chatHistoryPagesBackAndResumesAfterADropWithNoGap() async throws {
        let (server, scenario, port) = try await Self.start()
        let dana = scenario.facilitator
        try await scenario.join(dana)
        for number in 1...5 { try await scenario.say(dana, "m\(number)") }
        let (_, samToken) = try await scenario.member("Sam")
        let channel = "#" + scenario.room.rawValue
        let capabilities = ["batch", "draft/chathistory", "echo-message", "message-tags", "server-time"]

        func said(_ lines: [IRCMessage], batch: String) -> [String] {
            lines.filter { $0.command == "PRIVMSG" && $0.tag("batch") == batch }.compactMap(\.parameters.last)
        }
        let first = try await IRCTestClient.connect(port: port)
        try await first.register(token: samToken, nick: "sam", capabilities: capabilities)
        let isupport = try await first.waitFor(command: "005")
        #expect(isupport.parameters.contains("MSGREFTYPES=msgid"))
        try await first.send("JOIN \(channel)")
        let m3 = try await first.waitFor { $0.command == "PRIVMSG" && $0.parameters.last == "m3" }
        let m5 = try await first.waitFor { $0.command == "PRIVMSG" && $0.parameters.last == "m5" }
        try await first.send("CHATHISTORY BEFORE \(channel) msgid=\(try #require(m3.tag("msgid"))) 10")
        let opened = try await first.waitFor { $0.command == "BATCH" && $0.parameters.first?.hasPrefix("+") == true }
        #expect(opened.parameters.dropFirst().first == "chathistory")
        let reference = String(try #require(opened.parameters.first).dropFirst())
        try await first.waitFor { $0.command == "BATCH" && $0.parameters.first == "-" + reference }
        #expect(said(first.lines, batch: reference) == ["m1", "m2"])
        try await first.send("CHATHISTORY AROUND \(channel) msgid=\(try #require(m3.tag("msgid"))) 10")
        try await first.waitFor { $0.command == "FAIL" && $0.parameters.first == "CHATHISTORY" }
        await first.close()

        // While Sam is away the group goes on.
        try await scenario.say(dana, "m6")
        try await scenario.say(dana, "m7")
        let again = try await IRCTestClient.connect(port: port)
        try await again.register(token: samToken, nick: "sam", capabilities: capabilities)
        try await again.send("JOIN \(channel)")
        try await again.waitFor(command: "366")
        try await again.send("CHATHISTORY AFTER \(channel) msgid=\(try #require(m5.tag("msgid"))) 100")
        let resumed = try await again.waitFor { $0.command == "BATCH" && $0.parameters.first?.hasPrefix("+") == true }
        let resumedReference = String(try #require(resumed.parameters.first).dropFirst())
        try await again.waitFor { $0.command == "BATCH" && $0.parameters.first == "-" + resumedReference }
        #expect(said(again.lines, batch: resumedReference) == ["m6", "m7"])
        await again.close()
        await dana.close()
        try await server.stop()
    }

    /// An IRC reader that stops reading is let go once the server's buffer for it is full, as
    /// on the JSON side, and the room goes on for everyone else.
    @Test func anIRCReaderThatFallsBehindIsLetGo() async throws {
        let server = try await TestServer.start {
            $0.irc = ("127.0.0.1", 0)
            $0.outboundLimit = 64 * 1024
        }
        let scenario = try await RoomScenario.start(on: server)
        let port = try #require(server.server.ircPort)
        let (_, samToken) = try await scenario.member("Sam")
        let irc = try await IRCTestClient.connect(port: port)
        try await irc.register(token: samToken, nick: "sam")
        try await irc.send("JOIN #\(scenario.room.rawValue)")
        try await irc.waitFor(command: "366")
        try await irc.stopReading()
        // Enough to fill the kernel's socket buffers and then the server's own cap.
        let text = String(repeating: "w", count: 4000)
        for _ in 0..<3000 { try await scenario.say(scenario.facilitator, text) }
        try await irc.resumeReading()
        try await irc.waitUntilClosed()
        #expect(irc.lines.filter { $0.command == "PRIVMSG" }.count < 3000)
        await scenario.facilitator.close()
        try await server.stop()
    }
}
