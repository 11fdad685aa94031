import CircleClient
import CircleCore
import CircleProtocol
import CircleStore
import CircleTestSupport
import Foundation
import GRDB
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

    @Test func aStorageFailureRefusesEverythingAndLosesNothingAcknowledged() async throws {
        let folder = try TemporaryFolder()
        let server = try await TestServer.start(folder: folder)
        let scenario = try await RoomScenario.start(on: server)
        try await scenario.join(scenario.facilitator)
        let kept = try await scenario.say(scenario.facilitator, "Said before the disk failed.")

        // A real SQLite error on the next write: a trigger that aborts any insert into the log.
        let outside = try DatabaseQueue(path: folder.path + "/circle.sqlite")
        try await outside.write { db in
            try db.execute(
                sql: "CREATE TRIGGER failing BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk gone'); END")
        }
        let said = await scenario.facilitator.refusal(
            .say(.init(room: scenario.room, text: "Lost to the failure, and told so.", cid: nil)))
        #expect(said == .storageUnavailable)
        // Fail-stop: later writes are refused too, even once the disk would take them again.
        try await outside.write { db in try db.execute(sql: "DROP TRIGGER failing") }
        let later = await scenario.facilitator.refusal(
            .say(.init(room: scenario.room, text: "After the failure.", cid: nil)))
        #expect(later == .storageUnavailable)
        try outside.close()
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
        // Closing one makes room for another.
        await first.close()
        try await Task.sleep(for: .milliseconds(100))
        let fourth = try await server.connect()
        #expect(fourth.hello != nil)
        for client in [second, third, fourth] { await client.close() }
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
