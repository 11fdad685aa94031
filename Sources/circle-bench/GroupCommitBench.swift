import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import CircleServer
import CircleStore
import Foundation
import Logging

/// Committed messages per second with many concurrent senders: each sender waits for the
/// acknowledgement (which comes only after the commit) before sending its next message.
struct GroupCommitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group-commit", abstract: "Acknowledged messages per second with N concurrent senders.")

    @Option(help: "Concurrent senders, each on its own connection.") var senders = 50
    @Option(help: "Messages each sender sends.") var messages = 200
    @Option(help: "Bytes of text per message.") var size = 100
    @Option(help: "full or normal.") var durability = "full"

    func run() async throws {
        guard let durability = Durability(rawValue: durability) else {
            throw ValidationError("--durability must be full or normal.")
        }
        guard (1...9000).contains(senders), messages > 0, (1...4000).contains(size) else {
            throw ValidationError("--senders must be 1 to 9000, --messages above 0, --size 1 to 4000.")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("circle-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(folder: folder.path, durability: durability)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.requestsPerSecond = 0
        configuration.maxMembersPerRoom = 100_000
        var logger = Logger(label: "circle-bench")
        logger.logLevel = .error
        let server = try await CircleServer.bind(configuration: configuration, store: store, logger: logger)
        let running = Task { try await server.run() }

        let (_, token) = try store.createAccount(name: "Bench", kind: .facilitator, at: SystemClock().now())
        let (facilitator, _) = try await CircleConnection.connect(host: "127.0.0.1", port: server.port, token: token)
        let room: Reply.RoomCreated = try await facilitator.request(.roomCreate(.init(name: "bench")))
        let invite: Reply.InviteCreated = try await facilitator.request(
            .inviteCreate(.init(room: room.room, uses: senders)))
        let _: Reply.Appended = try await facilitator.request(.sessionOpen(.init(room: room.room)))
        var clients: [CircleConnection] = []
        for index in 0..<senders {
            let (client, _) = try await CircleConnection.connect(host: "127.0.0.1", port: server.port)
            let _: Reply.Redeemed = try await client.request(.redeem(.init(code: invite.code, name: "member \(index)")))
            let _: Reply.Appended = try await client.request(.agreementsAccept(.init(room: room.room, version: 1)))
            clients.append(client)
        }

        let text = String(repeating: "x", count: size)
        let before = store.committer.stats
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for client in clients {
                group.addTask {
                    var latencies: [Duration] = []
                    latencies.reserveCapacity(messages)
                    for _ in 0..<messages {
                        let sent = ContinuousClock.now
                        let _: Reply.Appended = try await client.request(.say(.init(room: room.room, text: text)))
                        latencies.append(ContinuousClock.now - sent)
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }.sorted()
        }
        let elapsed = ContinuousClock.now - start
        let stats = store.committer.stats
        let total = senders * messages
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let commits = stats.commits - before.commits
        func percentile(_ p: Double) -> String {
            let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            return String(
                format: "%.2f ms", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000
            )
        }
        print(
            "group commit: \(senders) senders x \(messages) messages of \(size) bytes, synchronous=\(durability.rawValue)"
        )
        print(
            String(
                format: "  acknowledged:   %d messages in %.2f s = %.0f messages/s", total, seconds,
                Double(total) / seconds))
        print(
            String(
                format: "  commits:        %d (%.1f messages per commit, largest batch %d)", commits,
                Double(total) / Double(max(commits, 1)), stats.largestBatch))
        print("  ack latency:    p50 \(percentile(0.5)), p99 \(percentile(0.99)), max \(percentile(1.0))")

        for client in clients { client.abort() }
        facilitator.abort()
        server.shutdown()
        try await running.value
        store.close()
    }
}
