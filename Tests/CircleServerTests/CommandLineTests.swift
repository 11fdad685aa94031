import CircleClient
import CircleCore
import CircleStore
import CircleTestSupport
import Foundation
import Testing

extension ProcessTests {
    @Suite struct CommandLineTests {
        @Test func addFacilitatorPrintsOnlyTheTokenOnStdout() async throws {
            let folder = try TemporaryFolder()
            let circled = try Executable("circled")
            let output = try await circled.run(["admin", "add-facilitator", "Dana", "--data", folder.path])
            #expect(output.status == 0)
            let token = output.stdout.trimmingCharacters(in: .newlines)
            #expect(output.stdout == token + "\n")
            #expect(token.hasPrefix("ct_"))
            #expect(output.stderr.contains("Dana"))
            let store = try Store(folder: folder.path)
            defer { store.close() }
            #expect(try store.account(forToken: token)?.name == "Dana")
            let bad = try await circled.run(["admin", "add-facilitator", " ", "--data", folder.path])
            #expect(bad.status != 0)
            #expect(bad.stdout.isEmpty)
        }

        @Test func aWholeSessionFromTheCommandLine() async throws {
            let server = try await TestServer.start()
            let circle = try Executable("circle")
            let token = try server.addFacilitator()
            let home = try TemporaryFolder()
            let facilitator = ["XDG_CONFIG_HOME": home.path + "/dana", "CIRCLE_SERVER": "127.0.0.1:\(server.port)"]
            let participant = ["XDG_CONFIG_HOME": home.path + "/sam", "CIRCLE_SERVER": "127.0.0.1:\(server.port)"]

            let login = try await circle.run(["login", token], environment: facilitator)
            #expect(login.status == 0, "\(login.stderr)")
            let room = try await circle.run(["room", "create", "Tuesday group"], environment: facilitator)
            #expect(room.status == 0, "\(room.stderr)")
            let roomID = room.stdout.trimmingCharacters(in: .newlines)
            // The bare value on stdout for scripts; what happened, in words, on stderr.
            #expect(room.stderr.hasPrefix("Room \"Tuesday group\" is created"), "\(room.stderr)")
            let invite = try await circle.run(
                ["invite", "create", roomID, "--uses", "2", "--expires", "2h"], environment: facilitator)
            let code = invite.stdout.trimmingCharacters(in: .newlines)
            #expect(code.count == 11)
            let year = Calendar.current.component(.year, from: Date())
            #expect(invite.stderr.contains("Invite to Tuesday group for 2 people as participant, valid until "))
            #expect(invite.stderr.contains(" \(year) ") || invite.stderr.contains(" \(year + 1) "), "\(invite.stderr)")
            let opened = try await circle.run(["session", "open", roomID], environment: facilitator)
            #expect(opened.status == 0)
            #expect(opened.stderr == "Session 1 of Tuesday group is open.\n", "\(opened.stderr)")

            let join = try await circle.run(["join", code, "--name", "Sam", "--print-token"], environment: participant)
            #expect(join.status == 0, "\(join.stderr)")
            let lines = join.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == roomID)
            #expect(lines.count == 2 && lines[1].hasPrefix("ct_"))
            let saved = URL(fileURLWithPath: home.path + "/sam/circle/credentials.json")
            let mode = try FileManager.default.attributesOfItem(atPath: saved.path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)

            // A stale token saved for this server does not stand in the way of a new invite.
            let kim = ["XDG_CONFIG_HOME": home.path + "/kim", "CIRCLE_SERVER": "127.0.0.1:\(server.port)"]
            var stale = Credentials()
            stale.servers["127.0.0.1:\(server.port)"] = .init(
                token: "ct_stale", account: AccountID("u-old"), name: "Old")
            try stale.save(to: URL(fileURLWithPath: home.path + "/kim/circle/credentials.json"))
            let kimJoin = try await circle.run(["join", code, "--name", "Kim"], environment: kim)
            #expect(kimJoin.status == 0, "\(kimJoin.stderr)")

            let refusedBeforeAccepting = try await circle.run(["say", roomID, "Hello?"], environment: participant)
            #expect(refusedBeforeAccepting.status == 1)
            #expect(refusedBeforeAccepting.stderr.contains("agreements"))
            let agreements = try await circle.run(["agreements", "show", roomID], environment: participant)
            #expect(agreements.stdout.contains("not legally bound"))
            #expect(agreements.stdout.contains("(version 1, not yet accepted)"))
            #expect(try await circle.run(["agreements", "accept", roomID], environment: participant).status == 0)
            let say = try await circle.run(["say", roomID, "Hello, everyone."], environment: participant)
            #expect(say.status == 0, "\(say.stderr)")
            let history = try await circle.run(["history", roomID], environment: facilitator)
            #expect(history.stdout.contains("Sam: Hello, everyone."))
            let json = try await circle.run(["history", roomID, "--json", "--since", "3"], environment: participant)
            let decoded = try json.stdout.split(separator: "\n").map {
                try JSONDecoder().decode(Event.self, from: Data($0.utf8))
            }
            // Joins, the acceptance, arrivals at the session and the message: every one after #3, in order.
            #expect(decoded.map(\.seq) == Array(4..<(4 + Int64(decoded.count))))
            #expect(decoded.count >= 5)
            #expect(decoded.contains { $0.body.kind == "message" })

            let script = try await circle.run(
                ["script"], environment: participant,
                input: "/join \(roomID)\n/say from a script\n/nosuch\n/wait 0.2\n")
            #expect(script.status == 1)
            #expect(script.stdout.contains("Sam: from a script"))
            #expect(script.stderr.contains("/nosuch"))

            let refused = try await circle.run(["session", "close", roomID], environment: participant)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("facilitator"))
            #expect(refused.stdout.isEmpty)
            let observer = try await circle.run(
                ["invite", "create", roomID, "--role", "observer"], environment: facilitator)
            #expect(observer.stderr.contains("for 1 person as observer"), "\(observer.stderr)")
            let badRole = try await circle.run(
                ["invite", "create", roomID, "--role", "boss"], environment: facilitator)
            #expect(badRole.status != 0 && badRole.stderr.contains("boss"))
            let closed = try await circle.run(["session", "close", roomID], environment: facilitator)
            #expect(closed.status == 0)
            #expect(closed.stderr.hasPrefix("Session 1 of Tuesday group is closed"), "\(closed.stderr)")
            try await server.stop()
        }

        @Test func aScriptMutesANameWithSpacesAndANumberFromWho() async throws {
            let server = try await TestServer.start()
            let circle = try Executable("circle")
            let home = try TemporaryFolder()
            let dana = [
                "XDG_CONFIG_HOME": home.path + "/dana", "CIRCLE_SERVER": "127.0.0.1:\(server.port)",
                "CIRCLE_TOKEN": try server.addFacilitator(),
            ]
            let max = ["XDG_CONFIG_HOME": home.path + "/max", "CIRCLE_SERVER": "127.0.0.1:\(server.port)"]
            let roomID = try await circle.run(["room", "create", "Tuesday group"], environment: dana).stdout
                .trimmingCharacters(in: .newlines)
            let code = try await circle.run(["invite", "create", roomID], environment: dana).stdout
                .trimmingCharacters(in: .newlines)
            let join = try await circle.run(["join", code, "--name", "Max 🌱"], environment: max)
            #expect(join.status == 0, "\(join.stderr)")

            let script = try await circle.run(
                ["script"], environment: dana,
                input: "/join \(roomID)\n/who\n/mute \"Max 🌱\" 10m please pause\n/unmute 2\n/mute \"Max 10m x\n")
            #expect(script.stdout.contains("1. @Dana (facilitator), here"), "\(script.stdout)")
            #expect(script.stdout.contains("2. Max 🌱 (participant), away"))
            #expect(script.stderr.contains("never closed"), "\(script.stderr)")
            let history = try await circle.run(["history", roomID], environment: dana)
            #expect(history.stdout.contains("Dana muted Max 🌱"), "\(history.stdout)")
            #expect(history.stdout.contains("Dana unmuted Max 🌱"))
            try await server.stop()
        }

        @Test func globalOptionsMayComeBeforeTheSubcommand() async throws {
            let server = try await TestServer.start()
            let circle = try Executable("circle")
            let home = try TemporaryFolder()
            let token = try server.addFacilitator()
            let environment = ["XDG_CONFIG_HOME": home.path]
            let created = try await circle.run(
                ["--server", "127.0.0.1:\(server.port)", "--token", token, "room", "create", "Tuesday group"],
                environment: environment)
            #expect(created.status == 0, "\(created.stderr)")
            let room = created.stdout.trimmingCharacters(in: .newlines)
            #expect(room.hasPrefix("r"))
            let listed = try await circle.run(
                ["--server=127.0.0.1:\(server.port)", "--token=\(token)", "room", "list"], environment: environment)
            #expect(listed.status == 0 && listed.stdout.contains("Tuesday group"), "\(listed.stderr)")
            let opened = try await circle.run(
                ["--token", token, "--server", "127.0.0.1:\(server.port)", "session", "open", room],
                environment: environment)
            #expect(opened.status == 0, "\(opened.stderr)")
            let said = try await circle.run(
                ["--token", token, "--server", "127.0.0.1:\(server.port)", "say", room, "Welcome, all."],
                environment: environment)
            #expect(said.status == 0, "\(said.stderr)")
            let history = try await circle.run(
                ["history", room, "--server", "127.0.0.1:\(server.port)", "--token", token], environment: environment)
            #expect(history.stdout.contains("Welcome, all."), "\(history.stdout)")
            try await server.stop()
        }

        @Test func aFailedConnectionIsOneSentenceOnStderr() async throws {
            let server = try await TLSTests.tlsServer()
            let circle = try Executable("circle")
            let home = try TemporaryFolder()
            let token = try server.addFacilitator()
            // Trusting the wrong CA, then speaking TLS to nothing, then to a port nobody serves.
            let address = "tls://127.0.0.1:\(server.port)"
            let otherCA = TLSTests.fixture("other-ca.pem")
            let untrusted = try await circle.run(
                ["--server", address, "--ca-file", otherCA, "--token", token, "room", "list"],
                environment: ["XDG_CONFIG_HOME": home.path])
            #expect(untrusted.status != 0)
            #expect(
                untrusted.stderr
                    == "circle: The server's certificate is not trusted for 127.0.0.1; pass --ca-file with the CA "
                    + "that signed it, and connect by a name or address the certificate lists.\n")
            let port = server.port
            try await server.stop()
            let nobody = try await circle.run(
                ["--server", "127.0.0.1:\(port)", "--token", token, "room", "list"],
                environment: ["XDG_CONFIG_HOME": home.path])
            #expect(
                nobody.stderr == "circle: Could not reach the server: 127.0.0.1:\(port): nothing is listening there.\n")
        }

        @Test func aScriptWhoseReaderGoesAwayStopsQuietly() async throws {
            let server = try await TestServer.start()
            let circle = try Executable("circle")
            let home = try TemporaryFolder()
            let dana = [
                "XDG_CONFIG_HOME": home.path, "CIRCLE_SERVER": "127.0.0.1:\(server.port)",
                "CIRCLE_TOKEN": try server.addFacilitator(),
            ]
            let roomID = try await circle.run(["room", "create", "Tuesday group"], environment: dana).stdout
                .trimmingCharacters(in: .newlines)
            // An open session, so that every line is accepted and nothing is owed to stderr.
            _ = try await circle.run(["session", "open", roomID], environment: dana)
            let lines = ["/join \(roomID)"] + (1...300).map { "/say line \($0)" } + ["/history 200"]
            try lines.joined(separator: "\n").write(toFile: home.path + "/in.txt", atomically: true, encoding: .utf8)
            // `head -1` closes the pipe after the first line; everything after it meets EPIPE.
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", "'\(circle.url.path)' script < in.txt 2> err.txt | head -1 > out.txt"]
            shell.currentDirectoryURL = URL(fileURLWithPath: home.path)
            shell.environment = ProcessInfo.processInfo.environment.merging(dana) { $1 }
            try shell.run()
            await Task.detached { shell.waitUntilExit() }.value
            let out = try String(contentsOfFile: home.path + "/out.txt", encoding: .utf8)
            let err = try String(contentsOfFile: home.path + "/err.txt", encoding: .utf8)
            #expect(out.hasPrefix("* joined Tuesday group"), "\(out)")
            #expect(err.isEmpty, "\(err)")
            try await server.stop()
        }

        @Test func archivesFromTheCommandLine() async throws {
            let server = try await TestServer.start()
            let (scenario, sam) = try await ArchiveOverTCPTests.closedSession(on: server)
            let circle = try Executable("circle")
            let circled = try Executable("circled")
            let home = try TemporaryFolder()
            let token = try #require(scenario.facilitatorToken)
            let environment = [
                "XDG_CONFIG_HOME": home.path, "CIRCLE_SERVER": "127.0.0.1:\(server.port)", "CIRCLE_TOKEN": token,
            ]
            let plain = home.path + "/s1.circle.gz"
            let export = try await circle.run(
                ["archive", "export", scenario.room.rawValue, "--session", "1", "--out", plain],
                environment: environment)
            #expect(export.status == 0, "\(export.stderr)")
            let verify = try await circle.run(["archive", "verify", plain])
            #expect(verify.status == 0 && verify.stdout.contains("intact"), "\(verify.stderr)")
            let show = try await circle.run(["archive", "show", plain, "--markdown"])
            #expect(show.stdout.contains("# Tuesday group: session 1"))
            #expect(show.stdout.contains("| Sam | 1 | Walk daily | 7/10 |"))
            #expect(show.stdout.contains("Sam: Thanks, all."))

            let secret = home.path + "/passphrase"
            try Data("a long passphrase\n".utf8).write(to: URL(fileURLWithPath: secret))
            let sealed = home.path + "/s1.circle.sealed"
            let sealedExport = try await circle.run(
                [
                    "archive", "export", scenario.room.rawValue, "--session", "1", "--out", sealed, "--encrypt",
                    "--passphrase-file", secret,
                ], environment: environment)
            #expect(sealedExport.status == 0, "\(sealedExport.stderr)")
            let wrong = home.path + "/wrong"
            try Data("not the passphrase".utf8).write(to: URL(fileURLWithPath: wrong))
            let refused = try await circle.run(["archive", "verify", sealed, "--passphrase-file", wrong])
            #expect(refused.status == 1 && refused.stderr.contains("wrong passphrase"))
            #expect(try await circle.run(["archive", "verify", sealed, "--passphrase-file", secret]).status == 0)

            // A byte flipped near the end of the file is found, and its place named.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: plain))
            bytes[bytes.count - 12] ^= 0x40
            try bytes.write(to: URL(fileURLWithPath: plain))
            let damaged = try await circle.run(["archive", "verify", plain])
            #expect(damaged.status == 1)
            #expect(
                damaged.stderr.contains("byte") || damaged.stderr.contains("record")
                    || damaged.stderr.contains("checksum"))

            for client in [sam, scenario.facilitator] { await client.close() }
            try await server.stop()
            // Import into a fresh folder, twice: the second adds nothing.
            let fresh = try TemporaryFolder()
            let first = try await circled.run(
                ["archive", "import", sealed, "--data", fresh.path, "--passphrase-file", secret])
            #expect(first.status == 0 && first.stdout.contains("already there"), "\(first.stderr)")
            let second = try await circled.run(
                ["archive", "import", sealed, "--data", fresh.path, "--passphrase-file", secret])
            #expect(second.stdout.contains(" 0 events added"))
            let hold = try await circled.run(
                ["archive", "hold", scenario.room.rawValue, "--reason", "court order", "--data", fresh.path])
            #expect(hold.status == 0, "\(hold.stderr)")
            let noRoom = try await circled.run(["archive", "hold", "rnope", "--reason", "x", "--data", fresh.path])
            #expect(noRoom.status == 1 && noRoom.stderr.contains("no room"))
        }

        @Test func auditVerifyNamesTheFirstBrokenEntry() async throws {
            let folder = try TemporaryFolder()
            let circled = try Executable("circled")
            for name in ["Dana", "Lee", "Pat"] {
                #expect(try await circled.run(["admin", "add-facilitator", name, "--data", folder.path]).status == 0)
            }
            let intact = try await circled.run(["audit", "verify", "--data", folder.path])
            #expect(intact.status == 0)
            #expect(intact.stdout.hasPrefix("audit trail intact: 3 entries"))
            let list = try await circled.run(["audit", "list", "--data", folder.path])
            #expect(list.stdout.split(separator: "\n").count == 3)
            #expect(list.stdout.contains("account_created"))

            let store = try Store(folder: folder.path)
            try await store.pool.write { db in try db.execute(sql: "UPDATE audit SET at = at + 1 WHERE id = 2") }
            store.close()
            let broken = try await circled.run(["audit", "verify", "--data", folder.path])
            #expect(broken.status == 1)
            #expect(broken.stderr.contains("broken at entry 2"))
        }

        @Test func auditVerifyNoticesTheNewestEntriesRemoved() async throws {
            let folder = try TemporaryFolder()
            let circled = try Executable("circled")
            for name in ["Dana", "Lee", "Pat"] {
                #expect(try await circled.run(["admin", "add-facilitator", name, "--data", folder.path]).status == 0)
            }
            let intact = try await circled.run(["audit", "verify", "--data", folder.path])
            #expect(intact.stdout.contains("3 entries") && intact.stdout.contains("reaches 1 recorded head"))
            // Deleting the last rows leaves a chain that still links: only the anchor knows.
            let store = try Store(folder: folder.path)
            try await store.pool.write { db in try db.execute(sql: "DELETE FROM audit WHERE id = 3") }
            store.close()
            let rewound = try await circled.run(["audit", "verify", "--data", folder.path])
            #expect(rewound.status == 1)
            #expect(
                rewound.stderr.contains(
                    "broken at entry 3: the newest entries were removed: the trail ends at entry 2, but the folder's anchor (audit-head.json) counted 3"
                ), "\(rewound.stderr)")
            // An anchor whose signing key is gone can no longer vouch for anything.
            try FileManager.default.removeItem(atPath: folder.path + "/" + AuditAnchor.keyFileName)
            let unsigned = try await circled.run(["audit", "verify", "--data", folder.path])
            #expect(unsigned.status == 1)
            #expect(unsigned.stderr.contains("audit anchor is refused"), "\(unsigned.stderr)")
        }

        @Test func circledServesUntilSIGTERMAndExitsCleanly() async throws {
            let folder = try TemporaryFolder()
            let circled = try Executable("circled")
            let process = Process()
            process.executableURL = circled.url
            process.arguments = ["--listen", "127.0.0.1:0", "--data", folder.path + "/data"]
            let stderr = Pipe()
            process.standardError = stderr
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // The log line says where it listens and where its data is.
            let log = await Self.readUntil("listening on", from: stderr.fileHandleForReading)
            #expect(log.contains("listening on 127.0.0.1:"))
            #expect(log.contains(folder.path + "/data/circle.sqlite"))
            #expect(FileManager.default.fileExists(atPath: folder.path + "/data/circle.sqlite"))
            process.terminate()  // SIGTERM
            await withCheckedContinuation { continuation in
                Thread {
                    process.waitUntilExit()
                    continuation.resume()
                }.start()
            }
            #expect(process.terminationStatus == 0)
            #expect(process.terminationReason == .exit)
        }

        /// An archive import beside a running server would write events the server never sees;
        /// it is refused with a sentence, and so is a second server on the same folder.
        @Test func archiveImportAndASecondServerAreRefusedWhileAServerServesTheFolder() async throws {
            let folder = try TemporaryFolder()
            let circled = try Executable("circled")
            let process = Process()
            process.executableURL = circled.url
            process.arguments = ["--listen", "127.0.0.1:0", "--data", folder.path]
            let stderr = Pipe()
            process.standardError = stderr
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            _ = await Self.readUntil("listening on", from: stderr.fileHandleForReading)
            let archive = folder.path + "/some.circle.gz"
            _ = FileManager.default.createFile(atPath: archive, contents: Data("x".utf8))
            let refused = try await circled.run(["archive", "import", archive, "--data", folder.path])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("A server is serving \(folder.path); stop it before importing"))
            let second = try await circled.run(["--listen", "127.0.0.1:0", "--data", folder.path])
            #expect(second.status != 0 && second.stderr.contains("already serving"), "\(second.stderr)")
            process.terminate()
            await withCheckedContinuation { continuation in
                Thread {
                    process.waitUntilExit()
                    continuation.resume()
                }.start()
            }
            // Once it has stopped, the import runs (and says what is wrong with this file).
            let after = try await circled.run(["archive", "import", archive, "--data", folder.path])
            #expect(!after.stderr.contains("A server is serving"))
        }

        /// Reads a pipe on its own thread until `marker` appears or the pipe closes.
        static func readUntil(_ marker: String, from handle: FileHandle) async -> String {
            await withCheckedContinuation { continuation in
                Thread {
                    var text = ""
                    while !text.contains(marker) {
                        let chunk = handle.availableData
                        if chunk.isEmpty { break }
                        text += String(decoding: chunk, as: UTF8.self)
                    }
                    continuation.resume(returning: text)
                }.start()
            }
        }
    }
}
