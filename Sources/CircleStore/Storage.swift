import CircleCore
import Foundation
import Synchronization

/// What a running server keeps and reads, whatever the engine holds it: the event log,
/// accounts and tokens, invites, the audit trail, the archives index, notes and journals. The
/// server depends on this, not on an engine, so another engine (PostgreSQL, for several nodes)
/// is added beside `Store` (SQLite's, the embedded default) without touching a handler.
///
/// Every write while serving goes through `committer`, the engine's one writer; everything
/// else is a named read. An engine owns its connection and never hands it out.
public protocol Storage: AnyObject, Sendable {
    associatedtype Writer: Committer
    /// The one writer: group commits, in order, acknowledged once durable.
    var committer: Writer { get }
    /// The data folder: archives live under it, whatever holds the database.
    var folder: String { get }
    /// Where the database is, for the log line at start.
    var path: String { get }
    /// Stops the writer after committing what it holds.
    func close()

    // The event log.
    func roomIDs() throws -> [RoomID]
    /// Events with `after < seq <= through`, oldest first, that `viewer` may see.
    func events(room: RoomID, after: Int64, through: Int64?, viewer: LogViewer?, limit: Int) throws -> [StoredEvent]
    /// The latest `limit` events with `from <= seq < before` that `viewer` may see, oldest first.
    func events(room: RoomID, from: Int64, before: Int64, viewer: LogViewer?, limit: Int) throws -> [StoredEvent]
    /// One event of a room, whoever may see it (the caller checks).
    func event(room: RoomID, seq: Int64) throws -> Event?
    /// A room's events with `after < seq <= through`, in order, as stored, a page at a time.
    func forEachStoredEvent(
        room: RoomID, after: Int64, through: Int64, pageSize: Int, _ body: (StoredEvent) throws -> Void) throws
    func eventCount(room: RoomID, through: Int64) throws -> Int
    func lastSeq(room: RoomID) throws -> Int64
    /// The seq of a member's message with this client id, if the log holds one.
    func eventSeq(room: RoomID, actor: AccountID, clientID: String) throws -> Int64?
    /// A session's first and last seq and its event count.
    func sessionSpan(room: RoomID, session: Int) throws -> (first: Int64, last: Int64, count: Int)?
    /// The room's latest snapshot of its state.
    func snapshot(room: RoomID) throws -> (seq: Int64, version: Int, json: Data)?
    /// Writes one page of an imported archive; returns how many events were new.
    func importPage(
        room: (id: RoomID, name: String, owner: AccountID, createdAt: Timestamp),
        accounts: [(AccountID, String, AccountKind)], events: [(Event, Data)]
    ) throws -> Int

    // Accounts, tokens and invites.
    func account(forToken token: String) throws -> AccountRecord?
    /// The hashes of tokens revoked at or after `since`.
    func tokensRevoked(since: Timestamp) throws -> Set<String>
    /// The invite an invite code names, and its room.
    func invite(forCode code: String) throws -> (InviteID, RoomID)?

    // The audit trail.
    func auditHead() throws -> AuditHead?
    func auditEntries(room: RoomID?, limit: Int) throws -> [(id: Int64, record: AuditRecord)]
    /// Appends one entry outside a request (an import, a written archive), anchored.
    func audit(_ record: AuditRecord) throws

    // The archives index and retention.
    func archiveEntry(room: RoomID, session: Int) throws -> ArchiveEntry?
    func archivedFiles() throws -> [String]
    /// What retention may purge: verified archives of sessions closed before `cutoff`.
    func purgeCandidates(closedBefore cutoff: Timestamp) throws -> [ArchiveEntry]
    func purges(room: RoomID) throws -> [(first: Int64, last: Int64, session: Int, file: String)]

    // Facilitators' notes and members' journals.
    func notes(room: RoomID, member: AccountID) throws -> [(id: Int64, note: NoteRecord)]
    func journal(author: AccountID, from: Timestamp, to: Timestamp, limit: Int) throws -> [JournalEntry]
    func journalEntry(_ id: Int64, author: AccountID) throws -> JournalEntry?
    func journalShared(room: RoomID, author: AccountID?, limit: Int) throws -> [JournalEntry]
}

extension Storage {
    public func events(room: RoomID, before: Int64, viewer: LogViewer?, limit: Int) throws -> [StoredEvent] {
        try events(room: room, from: 1, before: before, viewer: viewer, limit: limit)
    }

    public func forEachStoredEvent(
        room: RoomID, after: Int64 = 0, through: Int64 = Int64.max, _ body: (StoredEvent) throws -> Void
    ) throws {
        try forEachStoredEvent(room: room, after: after, through: through, pageSize: 5000, body)
    }

    public func eventCount(room: RoomID) throws -> Int {
        try eventCount(room: room, through: Int64.max)
    }

    public func auditEntries(limit: Int = 100) throws -> [(id: Int64, record: AuditRecord)] {
        try auditEntries(room: nil, limit: limit)
    }

    public func journal(author: AccountID, limit: Int) throws -> [JournalEntry] {
        try journal(
            author: author, from: Timestamp(milliseconds: 0), to: Timestamp(milliseconds: Int64.max), limit: limit)
    }
}

/// The engine's one writer: takes the changes of each request, commits them in order (many
/// requests to one transaction) and calls each request's completion once they are durable.
public protocol Committer: Sendable {
    /// Queues changes for the next commit. `completion` is called exactly once.
    func submit(_ changes: [StoreChange], completion: @escaping CommitCompletion)
    /// Returns once everything submitted before has been committed (or refused).
    func flush() async
    /// Stops accepting, commits what it holds, and ends.
    func close()
    /// Refuses every later request with `failure`: a fail-stop after the store went wrong.
    func stop(_ failure: CircleError)
    /// Takes back a room's requests not yet written, for the room to refuse.
    func discardQueued(room: RoomID) -> [CommitCompletion]
    /// Is told how long each request waited and how each commit went.
    func observe(_ observer: @escaping @Sendable (CommitObservation) -> Void)
    /// Runs each batch's completions inside `scope`.
    func scopeCompletions(_ scope: @escaping @Sendable (() -> Void) -> Void)
    /// Is told of a refused commit; returns what to run once the batch's completions are done.
    func onFault(_ handler: @escaping @Sendable (CommitFault) -> [@Sendable () -> Void])
    var stats: CommitStats { get }
}

extension Committer {
    /// Submits changes and returns once they are committed, or throws why they were refused.
    public func commit(_ changes: [StoreChange]) async throws(CircleError) {
        let outcome = await withCheckedContinuation { continuation in
            submit(changes) { continuation.resume(returning: $0) }
        }
        try outcome.get()
    }

    /// `commit`, blocking the calling thread: for work on a dispatch queue (the archiver's),
    /// never for the cooperative pool.
    public func commitAndWait(_ changes: [StoreChange]) throws(CircleError) {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<Void, CircleError>?>(nil)
        submit(changes) { result in
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        try outcome.withLock { $0 }?.get()
    }
}

/// What a committed (or refused) request is told.
public typealias CommitCompletion = @Sendable (Result<Void, CircleError>) -> Void

/// Who is reading the log: their identity and whether they see facilitators' events. Nil
/// reads all.
public struct LogViewer: Sendable {
    public var account: AccountID
    public var role: RoomRole

    public init(account: AccountID, role: RoomRole) {
        self.account = account
        self.role = role
    }
}
