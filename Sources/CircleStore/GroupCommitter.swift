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
/// Rooms advance their in-memory state before their events are durable, so a commit that fails
/// leaves those rooms ahead of their log. What happens next depends on why it failed:
/// - one request's own data (a constraint, a value SQLite refuses): the batch is written again
///   request by request inside savepoints, still one transaction; that request, and any later
///   one of the same rooms, is refused, every other request is committed as usual, and the
///   rooms it touched are handed to the fault handler to be read back from the log;
/// - a full disk: the whole batch is refused, its rooms are read back, and the next batch tries
///   again, so the server recovers by itself once there is space;
/// - anything else (I/O, corruption, a read-only file): the committer stops for good
///   (fail-stop) and refuses every later request with `storage_unavailable` until the operator
///   restarts the server, since the store can no longer be trusted to say what it holds.
/// Every fault reaches the handler set by `onFault`, which logs and counts it.
public final class GroupCommitter: Committer {
    public typealias Completion = CommitCompletion

    struct Entry {
        var changes: [StoreChange]
        var completion: Completion
        /// When it was queued (uptime nanoseconds).
        var submitted: UInt64

        /// The rooms whose log this request appends to, or waits on (a barrier).
        var rooms: Set<RoomID> {
            changes.reduce(into: []) { rooms, change in
                if case .event(let event, _) = change { rooms.insert(event.room) }
                if case .snapshot(let room, _, _, _) = change { rooms.insert(room) }
                if case .barrier(let room) = change { rooms.insert(room) }
            }
        }
    }

    struct Hooks {
        var observer: (@Sendable (CommitObservation) -> Void)?
        var completionScope: (@Sendable (() -> Void) -> Void)?
        var faultHandler: (@Sendable (CommitFault) -> [@Sendable () -> Void])?
        var auditCommitted: (@Sendable () -> Void)?
    }

    struct State {
        var pending: [Entry] = []
        var failure: CircleError?
        var closing = false
        var stats = CommitStats()
        /// What fault handlers left to run after the current batch's completions.
        var afterBatch: [@Sendable () -> Void] = []
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

    /// Queues several requests at once, so that they share one commit: for tests of what a
    /// batch does when one of its requests fails.
    func submitTogether(_ requests: [(changes: [StoreChange], completion: Completion)]) {
        let now = DispatchTime.now().uptimeNanoseconds
        state.withLock { state in
            for request in requests {
                state.pending.append(Entry(changes: request.changes, completion: request.completion, submitted: now))
            }
        }
        wakeup.signal()
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

    /// Calls `anchor` after each commit that appended to the audit trail, on the committer's
    /// thread and before that batch's completions.
    func onAuditCommitted(_ anchor: @escaping @Sendable () -> Void) {
        hooks.withLock { $0.auditCommitted = anchor }
    }

    /// Runs every batch's completions inside `scope`, so what they send can leave together
    /// once all of them have run.
    public func scopeCompletions(_ scope: @escaping @Sendable (() -> Void) -> Void) {
        hooks.withLock { $0.completionScope = scope }
    }

    /// Calls `handler` on the committer's thread when a commit fails, before the refused
    /// requests' completions run and before the next batch is taken, so the rooms it names can
    /// be read back from the log while nothing of theirs is being written. What it returns runs
    /// after the batch's completions (in their scope), so refusals it owes keep their order
    /// behind the replies already due.
    public func onFault(_ handler: @escaping @Sendable (CommitFault) -> [@Sendable () -> Void]) {
        hooks.withLock { $0.faultHandler = handler }
    }

    /// Takes out every queued request that carries events of `room`: the room was read back
    /// from its log, so what it decided before that is void. The caller refuses them (outside
    /// any lock of its own).
    public func discardQueued(room: RoomID) -> [Completion] {
        state.withLock { state in
            var discarded: [Completion] = []
            state.pending.removeAll { entry in
                guard entry.rooms.contains(room) else { return false }
                discarded.append(entry.completion)
                return true
            }
            return discarded
        }
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
        let started = DispatchTime.now().uptimeNanoseconds
        var outcomes: [Result<Void, CircleError>]
        if let failure = state.withLock({ $0.failure }) {
            // Stopped: what was queued before the stop was decided on top of refused events,
            // so none of it may be written, even if the store would take it now.
            outcomes = Array(repeating: .failure(failure), count: batch.count)
        } else {
            outcomes = write(batch)
        }
        let committed = outcomes.lazy.filter { if case .success = $0 { true } else { false } }.count
        if committed > 0 {
            state.withLock { state in
                state.stats.commits += 1
                state.stats.entries += committed
                state.stats.largestBatch = max(state.stats.largestBatch, committed)
            }
            if let observer = hooks.withLock({ $0.observer }) {
                let done = DispatchTime.now().uptimeNanoseconds
                observer(
                    CommitObservation(
                        nanoseconds: Int64(done - started), waits: batch.map { Int64(done - $0.submitted) }))
            }
        }
        let audited = zip(batch, outcomes).contains { entry, outcome in
            guard case .success = outcome else { return false }
            return entry.changes.contains(where: \.mayAudit)
        }
        // Before the completions: what a request's reply reports as done is anchored by then.
        if audited, let anchor = hooks.withLock({ $0.auditCommitted }) { anchor() }
        let owed = state.withLock { state in
            defer { state.afterBatch.removeAll() }
            return state.afterBatch
        }
        let complete = {
            for (entry, outcome) in zip(batch, outcomes) { entry.completion(outcome) }
            for action in owed { action() }
        }
        if let scope = hooks.withLock({ $0.completionScope }) {
            scope(complete)
        } else {
            complete()
        }
    }

    /// Writes a batch, and says what became of each request.
    private func write(_ batch: [Entry]) -> [Result<Void, CircleError>] {
        var outcomes: [Result<Void, CircleError>]
        do {
            try pool.write { db in
                for entry in batch {
                    for change in entry.changes { try Self.write(change, in: db) }
                }
            }
            outcomes = Array(repeating: .success(()), count: batch.count)
        } catch let error where StorageFault.of(error) == .request {
            do {
                let (each, fault) = try commitEach(batch)
                outcomes = each
                report(fault)
            } catch {
                outcomes = failed(batch, error)
            }
        } catch {
            outcomes = failed(batch, error)
        }
        // After every attempt, failed ones too: earlier acknowledged commits may be in it.
        if let lost = logLost() {
            outcomes = rescue(batch, outcomes, lost)
        }
        return outcomes
    }

    /// Writes the batch again request by request, each in its own savepoint of one
    /// transaction, after a request's data failed the whole: the request that fails is
    /// refused, and so is every later request of the rooms it touched, whose events were
    /// decided on top of the refused ones and would leave a gap in their log.
    private func commitEach(_ batch: [Entry]) throws -> ([Result<Void, CircleError>], CommitFault) {
        let refused = CircleError(
            .storageUnavailable, "The server could not store that request; nothing of it was stored.")
        let behind = CircleError(
            .storageUnavailable, "The room was catching up after a refused request; nothing was stored. Try again.")
        return try pool.write { db in
            var outcomes: [Result<Void, CircleError>] = []
            var rooms: Set<RoomID> = []
            var causes: [String] = []
            for entry in batch {
                let touched = entry.rooms
                if !touched.isDisjoint(with: rooms) {
                    outcomes.append(.failure(behind))
                    continue
                }
                do {
                    try db.inSavepoint {
                        for change in entry.changes { try Self.write(change, in: db) }
                        return .commit
                    }
                    outcomes.append(.success(()))
                } catch let error where StorageFault.of(error) == .request {
                    outcomes.append(.failure(refused))
                    rooms.formUnion(touched)
                    causes.append(StorageFault.describe(error))
                }
            }
            let fault = CommitFault(
                kind: .request, cause: causes.joined(separator: "; "), rooms: rooms,
                refused: outcomes.count { if case .failure = $0 { true } else { false } })
            return (outcomes, fault)
        }
    }

    /// Refuses the whole batch: for a full disk (the committer goes on, and the next batch
    /// tries again), or for a fault after which the store cannot be trusted (fail-stop).
    private func failed(_ batch: [Entry], _ error: any Error) -> [Result<Void, CircleError>] {
        let rooms = batch.reduce(into: Set<RoomID>()) { $0.formUnion($1.rooms) }
        let cause = StorageFault.describe(error)
        let failure: CircleError
        let fault: CommitFault
        switch StorageFault.of(error) {
        case .diskFull:
            failure = CircleError(
                .storageFull, "The server's disk is full, so nothing was stored; try again in a little while.")
            fault = CommitFault(kind: .diskFull, cause: cause, rooms: rooms, refused: batch.count)
        case .busy:
            // Another process (circled admin, a backup) held the database past the busy timeout.
            failure = CircleError(.storageUnavailable, "The database was busy, so nothing was stored; try again.")
            fault = CommitFault(kind: .busy, cause: cause, rooms: rooms, refused: batch.count)
        case .request, .fatal:
            failure = CircleError(.storageUnavailable, "The server could not save that; nothing was stored.")
            stop(failure)
            fault = CommitFault(kind: .fatal, cause: cause, rooms: rooms, refused: batch.count)
        }
        report(fault)
        return Array(repeating: .failure(failure), count: batch.count)
    }

    /// Why the write-ahead log this commit went into will not be there after a restart: SQLite
    /// keeps writing to its open file even once someone has deleted it, and at the next start
    /// every commit still in it would be gone. A stat per commit, not per message.
    private func logLost() -> String? {
        var info = stat()
        guard stat(pool.path + "-wal", &info) != 0 else { return nil }
        return
            "the write-ahead log \(pool.path)-wal was deleted while the server ran (\(String(cString: strerror(errno))))"
    }

    /// The log was deleted under the server: a checkpoint copies everything in it, this batch
    /// included, from the still-open file into the database file, so what was acknowledged and
    /// what is about to be survives a restart. Then the committer stops (fail-stop), since
    /// every later commit would go to a file nobody can find.
    private func rescue(
        _ batch: [Entry], _ outcomes: [Result<Void, CircleError>], _ cause: String
    ) -> [Result<Void, CircleError>] {
        let failure = CircleError(.storageUnavailable, "The server could not save that; nothing was stored.")
        stop(failure)
        // The checkpoint says in its row whether readers held it back, rather than throwing.
        var copied = false
        var why = ""
        for _ in 0..<5 where !copied {
            do {
                let row = try pool.writeWithoutTransaction { db in
                    try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
                let busy: Int = row?[0] ?? 1
                let log: Int = row?[1] ?? -1
                let done: Int = row?[2] ?? -2
                copied = busy == 0 && log == done
                why = "busy \(busy), \(done) of \(log) pages copied"
            } catch {
                why = StorageFault.describe(error)
            }
        }
        guard copied else {
            report(
                CommitFault(
                    kind: .fatal, cause: "\(cause); the checkpoint could not copy it all (\(why))", rooms: [],
                    refused: batch.count))
            return Array(repeating: .failure(failure), count: batch.count)
        }
        report(
            CommitFault(
                kind: .fatal, cause: "\(cause); everything committed was checkpointed into the database file",
                rooms: [], refused: 0))
        return outcomes
    }

    private func report(_ fault: CommitFault) {
        state.withLock { $0.stats.failures += 1 }
        guard let handler = hooks.withLock({ $0.faultHandler }) else { return }
        let owed = handler(fault)
        state.withLock { $0.afterBatch.append(contentsOf: owed) }
    }

    /// Refuses every later request, and every one still queued, until the server restarts:
    /// for a store that cannot be trusted, or a room that could not be read back.
    public func stop(_ failure: CircleError) {
        state.withLock { state in
            if state.failure == nil { state.failure = failure }
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
            try RoomRow(id: id.rawValue, name: name, owner: owner.rawValue, createdAt: createdAt.milliseconds).insert(
                db)
        case .account(let account, let tokenHash):
            try AccountRow(account).insert(db)
            try TokenRow(hash: tokenHash, account: account.id.rawValue, createdAt: account.createdAt.milliseconds)
                .insert(db)
        case .audit(let record):
            try AuditChain.append(record, in: db)
        case .note(let note):
            try NoteRow(note).insert(db)
        case .journal(let entry):
            try JournalRow(entry).insert(db)
        case .journalShare(let entry, let room, let at):
            try JournalShareRow(entry: entry, room: room.rawValue, at: at.milliseconds).insert(db, onConflict: .ignore)
        case .archive(let entry):
            // A session archived again (after an import, say) replaces its earlier entry.
            try ArchiveRow(entry).insert(db, onConflict: .replace)
        case .barrier:
            break
        case .snapshot(let room, let seq, let version, let json):
            try SnapshotRow(room: room.rawValue, seq: seq, version: version, json: json).insert(
                db, onConflict: .replace)
        case .invite(let id, let room, let codeHash, let createdAt):
            try InviteRow(id: id.rawValue, room: room.rawValue, codeHash: codeHash, createdAt: createdAt.milliseconds)
                .insert(db)
        case .revokeToken(let hash, let actor, let at):
            _ = try Store.revokeTokens(hash: hash, account: nil, by: actor, at: at, in: db)
        case .purge(let entry, let at):
            try Store.purge(entry, at: at, in: db)
        }
    }
}
