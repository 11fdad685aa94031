import CircleClient
import CircleCore
import CircleProtocol
import CircleStore
import CircleTestSupport
import Foundation
import GRDB
import Testing

extension ProcessTests {
    /// The real server under load, killed with SIGKILL at random moments: after every restart,
    /// each acknowledged message is stored exactly once and members resume without a gap.
    @Suite struct CrashTests {
        /// A circled child process on a kernel-chosen port.
        final class Child: @unchecked Sendable {
            let process = Process()
            let port: Int

            init(data: String) async throws {
                process.executableURL = try Executable("circled").url
                // One event loop, the setting's other end: every other test runs one per core.
                process.arguments = [
                    "serve", "--listen", "127.0.0.1:0", "--data", data, "--requests-per-second", "0",
                    "--max-members", "100", "--event-loops", "1",
                ]
                let log = Pipe()
                process.standardError = log
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                let text = await CommandLineTests.readUntil(", data in", from: log.fileHandleForReading)
                guard let range = text.range(of: "listening on 127.0.0.1:"),
                    let port = Int(text[range.upperBound...].prefix { $0.isNumber })
                else { throw Executable.NotBuilt(name: "circled said: \(text)", searched: []) }
                self.port = port
                let handle = log.fileHandleForReading
                Thread { while !handle.availableData.isEmpty {} }.start()
            }

            func kill() {
                Foundation.kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }

            func stop() {
                process.terminate()
                process.waitUntilExit()
            }
        }

        struct Sender: Sendable {
            let token: String
            let name: String
        }

        @Test func everyAcknowledgedMessageSurvivesSIGKILL() async throws {
            let folder = try TemporaryFolder()
            let data = folder.path + "/data"
            let circled = try Executable("circled")
            let token = try await circled.run(["admin", "add-facilitator", "Dana", "--data", data]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            var child = try await Child(data: data)
            let (dana, _) = try await CircleConnection.connect(host: "127.0.0.1", port: child.port, token: token)
            let room: Reply.RoomCreated = try await dana.request(.roomCreate(.init(name: "Crash group")))
            let invite: Reply.InviteCreated = try await dana.request(.inviteCreate(.init(room: room.room, uses: 4)))
            let _: Reply.Appended = try await dana.request(.sessionOpen(.init(room: room.room)))
            var people: [Sender] = [Sender(token: token, name: "Dana")]
            for name in ["Sam", "Kim", "Lee"] {
                let (client, _) = try await CircleConnection.connect(host: "127.0.0.1", port: child.port)
                let redeemed: Reply.Redeemed = try await client.request(.redeem(.init(code: invite.code, name: name)))
                let _: Reply.Appended = try await client.request(.agreementsAccept(.init(room: room.room, version: 1)))
                people.append(Sender(token: try #require(redeemed.token), name: name))
                client.abort()
            }
            dana.abort()
            let senders = people
            let roomID = room.room

            var acknowledged: [String: Int64] = [:]
            var sent = Set<String>()
            for round in 0..<3 {
                // Load from every sender; the kill lands somewhere in the middle of it.
                let port = child.port
                let load = Task {
                    try await withThrowingTaskGroup(of: [(String, Int64?)].self) { group in
                        for sender in senders {
                            group.addTask {
                                var results: [(String, Int64?)] = []
                                guard
                                    let (client, _) = try? await CircleConnection.connect(
                                        host: "127.0.0.1", port: port, token: sender.token)
                                else { return results }
                                defer { client.abort() }
                                for index in 0..<400 {
                                    let cid = "\(sender.name)-\(round)-\(index)"
                                    do {
                                        let appended: Reply.Appended = try await client.request(
                                            .say(.init(room: roomID, text: "message \(cid)", cid: cid)))
                                        results.append((cid, appended.seq))
                                    } catch {
                                        results.append((cid, nil))
                                        break
                                    }
                                }
                                return results
                            }
                        }
                        return try await group.reduce(into: []) { $0 += $1 }
                    }
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...450)))
                child.kill()
                for (cid, seq) in try await load.value {
                    sent.insert(cid)
                    if let seq { acknowledged[cid] = seq }
                }
                child = try await Child(data: data)

                // Every acknowledged message is there once, at the sequence number it was given.
                let store = try DatabaseQueue(path: data + "/circle.sqlite")
                let stored = try store.read { db in
                    try Row.fetchAll(
                        db, sql: "SELECT client_id, seq FROM events WHERE room = ? AND client_id IS NOT NULL",
                        arguments: [room.room.rawValue])
                }
                try store.close()
                var seen: [String: [Int64]] = [:]
                for row in stored { seen[row[0], default: []].append(row[1]) }
                for (cid, seq) in acknowledged { #expect(seen[cid] == [seq], "\(cid) after kill \(round + 1)") }
                #expect(seen.values.allSatisfy { $0.count == 1 })

                // A member resumes from where they were without a gap, and a message re-sent
                // with its id after the crash is stored once.
                let (sam, _) = try await CircleConnection.connect(
                    host: "127.0.0.1", port: child.port, token: senders[1].token)
                let joined: Reply.Joined = try await sam.request(.join(.init(room: room.room, since: 0)))
                var seqs: [Int64] = []
                for await frame in sam.pushes {
                    guard case .event(let event) = frame else { continue }
                    seqs.append(event.seq)
                    if event.seq >= joined.through { break }
                }
                let visible = try Self.visibleSeqs(data: data, room: room.room)
                #expect(seqs == visible.filter { $0 <= joined.through })
                if let lost = sent.subtracting(acknowledged.keys).first(where: { $0.hasPrefix("Sam-") }) {
                    let again: Reply.Appended = try await sam.request(
                        .say(.init(room: room.room, text: "message \(lost)", cid: lost)))
                    acknowledged[lost] = again.seq
                }
                sam.abort()
            }
            // The load was real: messages were acknowledged, and some were cut off by a kill.
            #expect(acknowledged.count > 100)
            child.stop()
        }

        /// The sequence numbers of a room's events a participant may see.
        static func visibleSeqs(data: String, room: RoomID) throws -> [Int64] {
            let store = try DatabaseQueue(path: data + "/circle.sqlite")
            defer { try? store.close() }
            return try store.read { db in
                try Int64.fetchAll(
                    db, sql: "SELECT seq FROM events WHERE room = ? AND audience = 'room' ORDER BY seq",
                    arguments: [room.rawValue])
            }
        }
    }
}
