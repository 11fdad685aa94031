import ArgumentParser
import CircleStore
import Foundation

/// How long `circled` takes to start on a data folder with a long history, as an operator
/// sees it: from launching the process to its "listening" line. Once from the whole log (the
/// room's snapshot removed), then again from the snapshot that stopping it wrote.
struct RestartBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart", abstract: "A server's start on N events: from the whole log, then from its snapshot.")

    @Option(help: "The data folder; made with N messages in an open session if it does not exist.") var data: String
    @Option(help: "Messages, when the folder is made.") var events = 1_000_000
    @Option(help: "Bytes of text per message.") var size = 100

    func run() async throws {
        if !FileManager.default.fileExists(atPath: data) {
            try ArchivePrepareBench.prepare(data: data, events: events, size: size, closing: false)
        }
        do {
            let store = try Store(folder: data, durability: .normal)
            try await store.pool.write { db in try db.execute(sql: "DELETE FROM room_snapshots") }
            store.close()
        }
        for label in ["from the whole log", "from its snapshot"] {
            let started = ContinuousClock.now
            let server = try ServerProcess.start(data: data)
            let took = ContinuousClock.now - started
            print("start \(label): \(took.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))")
            server.stop()
        }
    }
}
