import CircleCore
import Foundation
import GRDB
import Synchronization

/// The single writer of the event log. Requests hand it their changes; it commits everything
/// that arrived while the previous commit was in flight in one transaction (group commit), then
/// calls each request's completion in submission order.
///
/// Completions run on the committer's own thread, after the commit, in order: that is where
/// fan-out happens, so every subscriber sees a room's events in log order and only once they
/// are durable.
///
/// A failed commit stops the committer for good (fail-stop): rooms have already advanced their
/// in-memory state, so accepting later writes could leave a gap in a log. Every later request is
/// refused with `storage_unavailable` until the operator restarts the server.
public final class GroupCommitter: Sendable {
    public typealias Completion = @Sendable (Result<Void, CircleError>) -> Void

    struct Entry {
        var changes: [StoreChange]
        var completion: Completion
        /// When it was queued (uptime nanoseconds).
        var submitted: UInt64
    }

    struct Hooks {
        var observer: (@Sendable (CommitObservation) -> Void)?
        var completionScope: (@Sendable (() -> Void) -> Void)?
    }

    struct State {
        var pending: [Entry] = []
        var failure: CircleError?
        var closing = false
        var stats = CommitStats()
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    /// In a struct, not as `Mutex<(closure)?>` directly: a closure kept as a generic value is
    /// re-wrapped in a pair of reabstraction thunks on every `withLock`, so each commit made
    /// the next call through it longer (the chain grew without end: quadratic CPU, and in
    /// time a stack overflow on the committer's thread).
    private let hooks = Mutex(Hooks())
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(pool: DatabasePool) {
        self.pool = pool
        let thread = Thread { [self] in run() }
        thread.name = "circle-commit"
        thread.start()
    }

    /// Queues changes for the next commit. `completion` is called exactly once.
    public func submit(_ changes: [StoreChange], completion: @escaping Completion) {
        let now = DispatchTime.now().uptimeNanoseconds
        let refusal: CircleError? = state.withLock { state in
            if let failure = state.failure { return failure }
            if state.closing { return CircleError(.shuttingDown, "The server is shutting down.") }
            state.pending.append(Entry(changes: changes, completion: completion, submitted: now))
            return nil
        }
        if let refusal {
            completion(.failure(refusal))
        } else {
            wakeup.signal()
        }
    }

    /// Waits until everything submitted so far has been committed (or refused).
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            submit([]) { _ in continuation.resume() }
        }
    }

    /// Commits what is queued, then stops the writer thread. Later submissions are refused.
    public func close() {
        let first = state.withLock { state in
            defer { state.closing = true }
            return !state.closing
        }
        guard first else { return }
        wakeup.signal()
        finished.wait()
    }

    /// Calls `observer` after every commit with what it did (for metrics); on the committer's
    /// thread, so it must be quick.
    public func observe(_ observer: @escaping @Sendable (CommitObservation) -> Void) {
        hooks.withLock { $0.observer = observer }
    }

    /// Runs every batch's completions inside `scope`, so what they send can leave together
    /// once all of them have run.
    public func scopeCompletions(_ scope: @escaping @Sendable (() -> Void) -> Void) {
        hooks.withLock { $0.completionScope = scope }
    }

    /// How many commits and entries so far: the group-commit figure.
    public var stats: CommitStats {
        state.withLock { $0.stats }
    }

    private func run() {
        while true {
            wakeup.wait()
            let (batch, closing) = state.withLock { state in
                let batch = state.pending
                state.pending.removeAll(keepingCapacity: true)
                return (batch, state.closing)
            }
            if !batch.isEmpty { commit(batch) }
            if closing && state.withLock({ $0.pending.isEmpty }) { break }
        }
        finished.signal()
    }

    private func commit(_ batch: [Entry]) {
        let result: Result<Void, CircleError>
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            try pool.write { db in
                for entry in batch {
                    for change in entry.changes { try Self.write(change, in: db) }
                }
            }
            result = .success(())
            state.withLock { state in
                state.stats.commits += 1
                state.stats.entries += batch.count
                state.stats.largestBatch = max(state.stats.largestBatch, batch.count)
            }
            if let observer = hooks.withLock({ $0.observer }) {
                let done = DispatchTime.now().uptimeNanoseconds
                observer(
                    CommitObservation(
                        nanoseconds: Int64(done - started), waits: batch.map { Int64(done - $0.submitted) }))
            }
        } catch {
            let failure = CircleError(.storageUnavailable, "The server could not save that; nothing was stored.")
            state.withLock { state in
                state.failure = failure
                state.stats.failures += 1
            }
            result = .failure(failure)
        }
        if let scope = hooks.withLock({ $0.completionScope }) {
            scope { for entry in batch { entry.completion(result) } }
        } else {
            for entry in batch { entry.completion(result) }
        }
    }

    /// How every event is stored; public so a benchmark can time SQLite alone on the same
    /// statement.
    public static let insertEvent = """
        INSERT INTO events (room, seq, session, at, actor, audience, kind, client_id, json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func write(_ change: StoreChange, in db: Database) throws {
        switch change {
        case .event(let event, let json):
            let statement = try db.cachedStatement(sql: insertEvent)
            try statement.execute(arguments: [
                event.room.rawValue, event.seq, event.session, event.at.milliseconds, event.actor?.rawValue,
                event.audience.description, event.body.kind, event.clientID, json,
            ])
        case .room(let id, let name, let owner, let createdAt):
            try db.execute(
                sql: "INSERT INTO rooms (id, name, owner, created_at) VALUES (?, ?, ?, ?)",
                arguments: [id.rawValue, name, owner.rawValue, createdAt.milliseconds])
        case .account(let account, let tokenHash):
            try db.execute(
                sql: "INSERT INTO accounts (id, name, kind, created_at) VALUES (?, ?, ?, ?)",
                arguments: [account.id.rawValue, account.name, account.kind.rawValue, account.createdAt.milliseconds])
            try db.execute(
                sql: "INSERT INTO tokens (hash, account, created_at) VALUES (?, ?, ?)",
                arguments: [tokenHash, account.id.rawValue, account.createdAt.milliseconds])
        case .audit(let record):
            try AuditChain.append(record, in: db)
        case .note(let note):
            try db.execute(
                sql: "INSERT INTO notes (room, member, author, at, text) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    note.room.rawValue, note.member.rawValue, note.author.rawValue, note.at.milliseconds, note.text,
                ])
        case .journal(let entry):
            try db.execute(
                sql: "INSERT INTO journal (id, author, at, kind, text, tags, mood) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    entry.id, entry.author.rawValue, entry.at.milliseconds, entry.kind.rawValue, entry.text,
                    entry.tags.joined(separator: ","), entry.mood,
                ])
        case .journalShare(let entry, let room, let at):
            try db.execute(
                sql: "INSERT OR IGNORE INTO journal_shares (entry, room, at) VALUES (?, ?, ?)",
                arguments: [entry, room.rawValue, at.milliseconds])
        case .archive(let entry):
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO archives
                    (room, session, file, sha256, bytes, events, first_seq, last_seq, created_at, verified_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.room.rawValue, entry.session, entry.file, entry.sha256, entry.bytes, entry.events,
                    entry.firstSeq, entry.lastSeq, entry.createdAt.milliseconds, entry.verifiedAt?.milliseconds,
                ])
        case .invite(let id, let room, let codeHash, let createdAt):
            try db.execute(
                sql: "INSERT INTO invites (id, room, code_hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [id.rawValue, room.rawValue, codeHash, createdAt.milliseconds])
        }
    }
}
