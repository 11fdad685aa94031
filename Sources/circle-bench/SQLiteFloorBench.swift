import ArgumentParser
import CircleCore
import CircleServer
import CircleStore
import Dispatch
import Foundation
import GRDBSQLite
import Glibc

/// The floor under every stored message: SQLite alone inserting rows into Circle's events
/// table, through the store's own statement, schema and settings (WAL, a sync per commit),
/// with bare prepared statements and no Swift, GRDB or server work between the rows. What the
/// fan-out spends per message beyond this is ours.
struct SQLiteFloorBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sqlite-floor",
        abstract: "CPU of SQLite alone storing messages: the floor under a commit.")

    @Option(help: "Rooms the rows go to in turn.") var rooms = 20
    @Option(help: "Rows per transaction (the burst commits about 100, the paced run about 5).") var batch = 100
    @Option(help: "Rows in all.") var rows = 32_000
    @Option(help: "Bytes of text per message; the stored JSON adds about 150.") var size = 100

    func run() throws {
        guard (1...10_000).contains(rooms), batch > 0, rows > 0, (1...4000).contains(size) else {
            throw ValidationError("--rooms 1 to 10000, --batch and --rows above 0, --size 1 to 4000.")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("circle-sqlite-floor-\(getpid())")
            .path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (path, owner, ids) = try Self.prepare(folder, rooms: rooms)
        let sample = Event(
            room: ids[0], seq: 1, session: 1, at: SystemClock().now(), actor: owner, audience: .room,
            body: .message(text: String(repeating: "x", count: size), clientID: nil))
        let json = [UInt8](try JSONEncoder().encode(sample))

        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db else {
            throw BenchError("could not open \(path)")
        }
        defer { sqlite3_close_v2(db) }
        // As the store runs: the log was turned on when it was made; these are per connection.
        try Self.execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", in: db)
        let insert = try Self.prepare(GroupCommitter.insertEvent, in: db)
        let begin = try Self.prepare("BEGIN IMMEDIATE", in: db)
        let commit = try Self.prepare("COMMIT", in: db)
        defer { for statement in [insert, begin, commit] { sqlite3_finalize(statement) } }

        let roomIDs = ids.map(\.rawValue)
        let (actor, audience, kind) = (owner.rawValue, sample.audience.description, sample.body.kind)
        var seq = [Int64](repeating: 0, count: rooms)
        let started = CPUTimes.ofThisThread()
        var written = 0
        while written < rows {
            try Self.step(begin, in: db)
            for _ in 0..<min(batch, rows - written) {
                let room = written % rooms
                seq[room] += 1
                sqlite3_bind_text(insert, 1, roomIDs[room], -1, Self.transient)
                sqlite3_bind_int64(insert, 2, seq[room])
                sqlite3_bind_int64(insert, 3, 1)
                sqlite3_bind_int64(insert, 4, sample.at.milliseconds + Int64(written))
                sqlite3_bind_text(insert, 5, actor, -1, Self.transient)
                sqlite3_bind_text(insert, 6, audience, -1, Self.transient)
                sqlite3_bind_text(insert, 7, kind, -1, Self.transient)
                sqlite3_bind_null(insert, 8)
                json.withUnsafeBytes {
                    _ = sqlite3_bind_blob(insert, 9, $0.baseAddress, Int32($0.count), Self.transient)
                }
                try Self.step(insert, in: db)
                written += 1
            }
            try Self.step(commit, in: db)
        }
        let used = CPUTimes.ofThisThread().subtracting(started)
        let commits = (rows + batch - 1) / batch
        print("sqlite floor: \(rows) rows of \(json.count) bytes of JSON into \(rooms) rooms, \(batch) per commit")
        print(
            String(
                format: "  CPU: %.2f µs per row (%.2f in SQLite's code, %.2f in the kernel), %.0f µs per commit",
                used.total * 1e6 / Double(rows), used.user * 1e6 / Double(rows),
                used.system * 1e6 / Double(rows), used.total * 1e6 / Double(commits)))
    }

    /// A store made as the server makes it, with an owner and `rooms` rooms: the database's
    /// path, the owner, and the rooms.
    static func prepare(_ folder: String, rooms: Int) throws -> (String, AccountID, [RoomID]) {
        let store = try Store(folder: folder)
        defer { store.close() }
        let clock = SystemClock()
        let (account, _) = try store.createAccount(name: "Bench", kind: .facilitator, at: clock.now())
        let ids = (0..<rooms).map { _ in Secrets.newRoomID() }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: CircleError?
        store.committer.submit(
            ids.map { .room(id: $0, name: "bench", owner: account.id, createdAt: clock.now()) }
        ) { result in
            if case .failure(let error) = result { failure = error }
            done.signal()
        }
        done.wait()
        if let failure { throw failure }
        // Closed now, not when the store is let go: a pool still closing (checkpointing its
        // log) answers the bare connection "database is locked" at once.
        store.close()
        try store.pool.close()
        return (store.path, account.id, ids)
    }

    /// SQLite copies what it binds: the rows are built from Swift strings that may not outlive
    /// the call.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func prepare(_ sql: String, in db: OpaquePointer) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw BenchError("could not prepare \(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
        return statement
    }

    static func step(_ statement: OpaquePointer, in db: OpaquePointer) throws {
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_DONE else {
            throw BenchError("SQLite: \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    static func execute(_ sql: String, in db: OpaquePointer) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchError("SQLite: \(String(cString: sqlite3_errmsg(db)))")
        }
    }
}
