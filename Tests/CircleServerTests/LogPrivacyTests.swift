import CircleClient
import CircleCore
import CircleProtocol
import GRDB
import Logging
import Synchronization
import Testing

/// Whatever a server logs, at any level, holds no message text and no token.
@Suite struct LogPrivacyTests {
    /// Keeps every line, metadata included, at trace level.
    struct CapturingHandler: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            lines.append(
                "\(event.level) \(event.message) \(metadata) \(event.metadata ?? [:]) \(event.error.map { "\($0)" } ?? "")"
            )
        }
    }

    final class Lines: Sendable {
        private let all = Mutex<[String]>([])
        func append(_ line: String) { all.withLock { $0.append(line) } }
        var text: String { all.withLock { $0.joined(separator: "\n") } }
    }

    @Test func noMessageTextNorTokenReachesTheLog() async throws {
        let lines = Lines()
        let logger = Logger(label: "circled") { _ in CapturingHandler(lines: lines) }
        let server = try await TestServer.start(logger: logger)
        let scenario = try await RoomScenario.start(on: server)
        let (sam, samToken) = try await scenario.member("Sam")
        try await scenario.join(sam)
        let secret = "I have not told anyone about the relapse"
        try await scenario.say(sam, secret)
        let _: Reply.JournalAdded = try await sam.request(
            .journalAdd(.init(kind: .episode, text: "journal: \(secret)", mood: 3)))
        // Refusals and broken input are the likeliest to be logged.
        _ = await sam.refusal(.say(.init(room: RoomID("rnope"), text: "refused: \(secret)", cid: nil)))
        try await sam.connection.sendRaw(Array("{\"op\":\"say\",\"text\":\"broken: \(secret)\n".utf8))
        let stranger = try await server.openRaw()
        _ = await stranger.refusal(.hello(.init(token: "ct_not_a_real_token_but_secret")))
        // A commit the database refuses: what is logged of it is SQLite's word, not the row's.
        try await server.store.pool.write { db in
            try db.execute(
                sql: "CREATE TRIGGER failing BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        _ = await sam.refusal(.say(.init(room: scenario.room, text: "refused by the disk: \(secret)", cid: nil)))
        try await server.store.pool.write { db in try db.execute(sql: "DROP TRIGGER failing") }
        let _: Reply.Appended = try await scenario.facilitator.request(.sessionClose(.init(room: scenario.room)))
        // Archiving logs too.
        try await server.waitForArchive(room: scenario.room, session: 1)
        for client in [sam, stranger, scenario.facilitator] { await client.close() }
        try await server.stop()

        let log = lines.text
        #expect(log.contains("listening"), "the capture saw nothing")
        #expect(log.contains("refused 1 request"), "the refused commit was not logged")
        #expect(!log.contains("relapse"))
        #expect(!log.contains(samToken) && !log.contains(scenario.facilitatorToken ?? "?"))
        #expect(!log.contains("ct_not_a_real_token"))
    }
}
