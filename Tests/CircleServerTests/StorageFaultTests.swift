import CircleClient
import CircleCore
import CircleProtocol
import CircleTestSupport
import Foundation
import Logging
import Testing

/// Real storage faults under a running server, on a real file system that fills up.
@Suite struct StorageFaultTests {
    /// A small tmpfs of its own, so the disk can fill without touching the machine's.
    final class SmallDisk {
        let path: String
        /// Outlives the mount: deinit unmounts before the folder is removed.
        private let folder: TemporaryFolder

        init(megabytes: Int) throws {
            folder = try TemporaryFolder()
            path = folder.path + "/disk"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try Self.run("/bin/mount", "-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path)
        }

        deinit { try? Self.run("/bin/umount", "-l", path) }

        /// Writes a file until the disk is full.
        func fill() throws -> String {
            let filler = path + "/filler"
            _ = FileManager.default.createFile(atPath: filler, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
            defer { try? handle.close() }
            let chunk = Data(repeating: 0x2A, count: 4096)
            while (try? handle.write(contentsOf: chunk)) != nil {}
            return filler
        }

        static func run(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ClientError.usage("\(arguments) failed") }
        }

        /// Mounting needs root, which the test machines and CI have; elsewhere it is skipped.
        static var available: Bool { getuid() == 0 && FileManager.default.fileExists(atPath: "/bin/mount") }
    }

    @Test(.enabled(if: SmallDisk.available, "mounting a tmpfs needs root"))
    func aFullDiskRefusesWritesLosesNothingAndRecoversWhenSpaceReturns() async throws {
        let disk = try SmallDisk(megabytes: 8)
        let folder = try TemporaryFolder(at: disk.path + "/data")
        var server = try await TestServer.start(folder: folder)
        let scenario = try await RoomScenario.start(on: server)
        let (sam, token) = try await scenario.member("Sam")
        var acknowledged: [Int64] = [try await scenario.say(sam, "before the disk fills").seq]
        let filler = try disk.fill()

        var refusal: ErrorCode?
        for index in 0..<5000 {
            do {
                acknowledged.append(
                    try await scenario.say(sam, "message \(index) " + String(repeating: "x", count: 400)).seq)
            } catch ClientError.server(let error) {
                refusal = error.code
                break
            }
        }
        #expect(refusal == .storageFull)
        // Other requests are refused the same way, and the connection stays open.
        #expect(await sam.refusal(.say(.init(room: scenario.room, text: "still full"))) == .storageFull)

        try FileManager.default.removeItem(atPath: filler)
        let after = try await scenario.say(sam, "the disk has room again")
        // The room was read back from its log: the next message follows the last stored one.
        #expect(after.seq == acknowledged.last! + 1)
        acknowledged.append(after.seq)

        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
        server = try await TestServer.start(folder: folder)
        let back = try await server.connect(token: token)
        let history: Reply.History = try await back.request(.history(.init(room: scenario.room, limit: 500)))
        #expect(acknowledged.allSatisfy(Set(history.events.map(\.seq)).contains))
        // No gap in the log where the refused messages were decided.
        let log = try server.store.events(room: scenario.room, after: 0, through: nil, viewer: nil, limit: 10_000)
        #expect(log.map(\.seq) == Array(1...Int64(log.count)))
        await back.close()
        try await server.stop()
    }

    /// SQLite keeps writing into a write-ahead log that was deleted under it, and a restart
    /// would lose every commit still in it: the server copies them into the database file,
    /// says so at error level, and refuses later writes until it is restarted.
    @Test func aDeletedWriteAheadLogLosesNothingAcknowledged() async throws {
        let folder = try TemporaryFolder()
        let lines = LogPrivacyTests.Lines()
        let logger = Logger(label: "circled") { _ in LogPrivacyTests.CapturingHandler(lines: lines) }
        var server = try await TestServer.start(folder: folder, logger: logger)
        let scenario = try await RoomScenario.start(on: server)
        let before = try await scenario.say(scenario.facilitator, "Said before the log was deleted.")
        try FileManager.default.removeItem(atPath: folder.path + "/circle.sqlite-wal")
        // This one went into the deleted file; it is acknowledged only because it was rescued.
        let rescued = try await scenario.say(scenario.facilitator, "Said as it was deleted.")
        #expect(
            await scenario.facilitator.refusal(.say(.init(room: scenario.room, text: "Said after.")))
                == .storageUnavailable)
        let said = lines.text.split(separator: "\n").filter { $0.contains("write-ahead log") }
        #expect(said.count == 1 && said.first?.hasPrefix("error ") == true)
        await scenario.facilitator.close()
        try await server.stop()

        server = try await TestServer.start(folder: folder)
        let stored = try server.store.events(room: scenario.room, after: 0, through: nil, viewer: nil, limit: 100)
        #expect(stored.map(\.seq).contains(before.seq))
        #expect(stored.last?.seq == rescued.seq)
        try await server.stop()
    }
}
