import ArgumentParser
import CircleArchive
import CircleCore
import CircleServer
import CircleStore
import Crypto
import Foundation

/// Archive export of one large session: MB/s of input (the JSON lines written) and the growth
/// of the process's peak RSS. Run `archive-prepare` once, then `archive` in a fresh process so
/// the peak belongs to the export alone.
struct ArchivePrepareBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive-prepare", abstract: "Write a data folder holding one session of N messages.")

    @Option(help: "The data folder to create.") var data: String
    @Option(help: "Messages in the session.") var events = 1_000_000
    @Option(help: "Bytes of text per message.") var size = 100

    func run() throws {
        try Self.prepare(data: data, events: events, size: size, closing: true)
    }

    /// One room with one session of `events` messages, closed (to archive) or left open.
    static func prepare(data: String, events: Int, size: Int, closing: Bool) throws {
        guard !FileManager.default.fileExists(atPath: data) else { throw ValidationError("\(data) exists already.") }
        let store = try Store(folder: data, durability: .normal)
        defer { store.close() }
        let clock = SystemClock()
        let (account, _) = try store.createAccount(name: "Bench", kind: .facilitator, at: clock.now())
        let owner = Caller(account: account.id, kind: .facilitator)
        var state = RoomState(id: RoomID("rbench"))
        var batch: [StoreChange] = [.room(id: state.id, name: "bench", owner: account.id, createdAt: clock.now())]
        // Words drawn by a fixed generator: text that compresses like speech, not like "xxxx".
        let words = [
            "I", "walked", "twice", "this", "week", "and", "felt", "tired", "but", "steadier", "my", "sister",
            "called", "on", "Thursday", "the", "trigger", "was", "crowded", "bus", "breathing", "helped", "sleep",
            "better", "goal", "progress", "thank", "you", "everyone", "hard", "evening", "work", "kids", "rain",
        ]
        var seed: UInt64 = 42
        func sentence() -> String {
            var text = ""
            while text.utf8.count < size {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += words[Int(seed >> 33) % words.count] + " "
            }
            return String(text.prefix(size))
        }
        let started = Date()
        func run(_ command: RoomCommand) throws {
            if case .append(let events) = try state.execute(command, by: owner, at: clock.now()) {
                for event in events { batch.append(.event(event, json: try JSONEncoder().encode(event))) }
            }
            if batch.count >= 10_000 { try flush() }
        }
        func flush() throws {
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var failure: CircleError?
            store.committer.submit(batch) { result in
                if case .failure(let error) = result { failure = error }
                done.signal()
            }
            done.wait()
            if let failure { throw failure }
            batch.removeAll(keepingCapacity: true)
        }
        try run(.create(name: "bench", ownerName: "Bench"))
        try run(.openSession)
        for _ in 0..<events { try run(.say(text: sentence(), clientID: nil)) }
        if closing { try run(.closeSession) }
        try flush()
        print("prepared \(events) messages in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}

struct ArchiveBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "Export the prepared session's archive; print MB/s and peak RSS growth.")

    @Option(help: "A folder made by archive-prepare.") var data: String
    @Option(help: "zlib level, 1 (fast) to 9.") var level: Int32 = 1
    @Flag(help: "Also time the stages alone: reading SQLite, and reading plus SHA-256.") var stages = false

    func run() throws {
        let store = try Store(folder: data, durability: .normal)
        defer { store.close() }
        // The room's first events give its name and members; replaying a million messages
        // would only slow the benchmark (the server archives from the state it already has).
        var state = RoomState(id: RoomID("rbench"))
        try store.forEachStoredEvent(room: state.id, through: 3) { state.apply(try $0.decoded()) }
        if stages {
            try timeStages(store, room: state.id)
            let plain = FileManager.default.temporaryDirectory.appendingPathComponent("circle-bench-plain.gz").path
            let cpu = CPUTimes.ofThisProcess().total
            let started = Date()
            let writer = try ArchiveWriter(path: plain, level: level)
            var line = Array(repeating: UInt8(ascii: "a"), count: 0)
            try store.forEachStoredEvent(room: state.id) { event in
                line.removeAll(keepingCapacity: true)
                line.append(contentsOf: event.json)
                try writer.writeEvent(json: line)
            }
            _ = try writer.finish()
            print(
                "writer alone: \(String(format: "%.2f", Date().timeIntervalSince(started))) s wall, "
                    + "\(String(format: "%.2f", CPUTimes.ofThisProcess().total - cpu)) s CPU")
            try? FileManager.default.removeItem(atPath: plain)
        }
        let rssBefore = Self.status("VmRSS")
        let archiver = Archiver(store: store, serverVersion: "circle-bench", level: level)
        let cpuBefore = CPUTimes.ofThisProcess().total
        let started = Date()
        guard let entry = try archiver.archiveSession(1, of: state, at: SystemClock().now(), verify: false) else {
            throw ValidationError("No closed session 1 in \(data).")
        }
        let seconds = Date().timeIntervalSince(started)
        let cpu = CPUTimes.ofThisProcess().total - cpuBefore
        let peak = Self.status("VmHWM")
        let path = store.folder + "/" + entry.file
        let verifyStart = Date()
        let result = try ArchiveReader.read(path: path, depth: .structure)
        let verifySeconds = Date().timeIntervalSince(verifyStart)
        let megabytes = Double(result.plainBytes) / 1_000_000
        print(
            """
            events: \(entry.events), input (JSON lines): \(String(format: "%.1f", megabytes)) MB, \
            file: \(String(format: "%.1f", Double(entry.bytes) / 1_000_000)) MB (level \(level))
            export (stream from SQLite, gzip, SHA-256, fsync): \(String(format: "%.2f", seconds)) s = \
            \(String(format: "%.0f", megabytes / seconds)) MB/s of input, \(String(format: "%.2f", cpu)) s of CPU
            verify alone: \(String(format: "%.2f", verifySeconds)) s = \(String(format: "%.0f", megabytes / verifySeconds)) MB/s
            RSS before: \(rssBefore / 1024) MB, peak during export: \(peak / 1024) MB, growth: \((peak - rssBefore) / 1024) MB
            """)
    }

    private func timeStages(_ store: Store, room: RoomID) throws {
        var started = Date()
        var bytes = 0
        try store.forEachStoredEvent(room: room) { bytes += $0.json.count }
        let read = Date().timeIntervalSince(started)
        started = Date()
        var hasher = SHA256()
        var batch: [UInt8] = []
        try store.forEachStoredEvent(room: room) { event in
            batch.append(contentsOf: event.json)
            if batch.count >= 65536 {
                hasher.update(data: batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        _ = hasher.finalize()
        let hashed = Date().timeIntervalSince(started)
        let megabytes = Double(bytes) / 1_000_000
        print(
            "stages: SQLite read \(String(format: "%.2f", read)) s (\(String(format: "%.0f", megabytes / read)) MB/s), "
                + "read + SHA-256 \(String(format: "%.2f", hashed)) s")
    }

    /// A field of /proc/self/status, in kB.
    static func status(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
}
