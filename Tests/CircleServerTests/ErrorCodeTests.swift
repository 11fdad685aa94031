import CircleClient
import CircleCore
import CircleProtocol
import CircleStore
import CircleTestSupport
import Foundation
import GRDB
import Logging
import Testing

@testable import CircleServer

/// The error codes no other suite reaches, and a check that every code is asserted somewhere.
@Suite struct ErrorCodeTests {
    @Test func everyErrorCodeIsAssertedBySomeTest() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        var text = ""
        let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            if file.pathExtension == "swift" { text += try String(contentsOf: file, encoding: .utf8) }
        }
        for code in ErrorCode.allCases {
            let name = "\(code)"
            // `== .code`, `[.code, …]`, `code == .code`: the code compared with what a test got.
            let asserted =
                text.contains("== .\(name)") || text.contains("[.\(name)") || text.contains(", .\(name)]")
                || text.contains(", .\(name),") || text.contains("(.\(name)))")
            #expect(asserted, "no test asserts the error code \(code.rawValue)")
        }
    }

    @Test func aWriteTheDatabaseRefusesCostsThatRequestAloneAndLeavesNoGap() async throws {
        let folder = try TemporaryFolder()
        let server = try await TestServer.start(folder: folder)
        let scenario = try await RoomScenario.start(on: server)
        try await scenario.join(scenario.facilitator)
        let kept = try await scenario.say(scenario.facilitator, "Said before the refusal.")

        // A real SQLite error on the next write: a trigger that aborts any insert into the log.
        let outside = try DatabaseQueue(path: folder.path + "/circle.sqlite")
        try await outside.write { db in
            try db.execute(
                sql: "CREATE TRIGGER failing BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        let said = await scenario.facilitator.refusal(
            .say(.init(room: scenario.room, text: "Refused, and told so.", cid: nil)))
        #expect(said == .storageUnavailable)
        // Only that request: once the database takes writes again, the room goes on where its
        // log ends, with no gap where the refused message was decided.
        try await outside.write { db in try db.execute(sql: "DROP TRIGGER failing") }
        let later = try await scenario.say(scenario.facilitator, "After the refusal.")
        #expect(later.seq == kept.seq + 1)
        try outside.close()
        await scenario.facilitator.close()
        try await server.stop()

        let reader = try CircleStoreReader(folder: folder)
        let seqs = try reader.seqs(room: scenario.room)
        #expect(seqs == Array(1...later.seq))
    }

    @Test func aStorageFailureRefusesEverythingAndLosesNothingAcknowledged() async throws {
        let folder = try TemporaryFolder()
        let lines = LogPrivacyTests.Lines()
        let logger = Logger(label: "circled") { _ in LogPrivacyTests.CapturingHandler(lines: lines) }
        let server = try await TestServer.start(folder: folder, logger: logger) { $0.metrics = ("127.0.0.1", 0) }
        let scenario = try await RoomScenario.start(on: server)
        try await scenario.join(scenario.facilitator)
        let kept = try await scenario.say(scenario.facilitator, "Said before the disk failed.")

        // The writer refuses every write, as a database made read-only under the server does.
        try await server.store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 1") }
        let said = await scenario.facilitator.refusal(
            .say(.init(room: scenario.room, text: "Lost to the failure, and told so.", cid: nil)))
        #expect(said == .storageUnavailable)
        // Fail-stop: later writes are refused too, even once the disk would take them again.
        try await server.store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 0") }
        let later = await scenario.facilitator.refusal(
            .say(.init(room: scenario.room, text: "After the failure.", cid: nil)))
        #expect(later == .storageUnavailable)
        // Said once, at error level, with SQLite's own reason; and counted.
        let stops = lines.text.split(separator: "\n").filter { $0.contains("fail-stop") }
        #expect(stops.count == 1)
        #expect(stops.first?.hasPrefix("error ") == true)
        #expect(stops.first?.contains("readonly") == true)
        let page = try await MetricsTests.get("/metrics", port: try #require(server.server.metricsPort))
        #expect(page.contains(#"circle_commit_faults_total{kind="fatal"} 1"#))
        await scenario.facilitator.close()
        try await server.stop()

        let reader = try CircleStoreReader(folder: folder)
        let seqs = try reader.seqs(room: scenario.room)
        #expect(seqs.contains(kept.seq) && seqs.last == kept.seq)
    }

    @Test func oneAddressMayHoldOnlySoManyConnections() async throws {
        let server = try await TestServer.start {
            $0.maxConnectionsPerIP = 2
            $0.loopbackIsExempt = false
        }
        let first = try await server.connect()
        let second = try await server.connect()
        let third = try await server.openRaw()
        try await third.waitUntil { $0.errors.contains { $0.code == .tooManyConnections } }
        // Closing one makes room for another, once the server has seen it close (no fixed wait:
        // a loaded machine may take longer than any guess).
        await first.close()
        let deadline = ContinuousClock.now + .seconds(10)
        var fourth: TestClient?
        while fourth == nil {
            do {
                fourth = try await server.connect()
            } catch  where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        #expect(fourth?.hello != nil)
        for client in [second, third, fourth].compactMap({ $0 }) { await client.close() }
        try await server.stop()
    }

    @Test func everyoneIsToldTheServerIsShuttingDown() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        try await server.stop()
        for client in [scenario.facilitator, sam] {
            try await client.waitUntil {
                $0.frames.contains { if case .bye(let reason) = $0 { reason.code == .shuttingDown } else { false } }
            }
            await client.close()
        }
    }
}
