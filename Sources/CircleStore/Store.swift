import CircleCore
import Foundation
import GRDB

/// The SQLite database in a data folder: its one owner. Reads go straight to the pool; every
/// write the server makes while running goes through `committer`.
public final class Store: Storage {
    /// The file name inside the data folder.
    public static let fileName = "circle.sqlite"

    /// The database itself: for this package's own tests and benchmarks only (fault injection,
    /// raw checks); everything else reads and writes through the named methods and the committer.
    package let pool: DatabasePool
    public let committer: GroupCommitter
    public let path: String

    /// Opens (creating if needed) the database in `folder` and brings its schema up to date.
    public init(folder: String, durability: Durability = .full) throws {
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        path = (folder as NSString).appendingPathComponent(Self.fileName)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Another process (`circled admin`) may write while the server runs.
        configuration.busyMode = .timeout(5)
        pool = try DatabasePool(path: path, configuration: configuration)
        // Set on the writer once the pool is open, not in prepareDatabase: DatabasePool turns
        // WAL on after that hook has run and sets synchronous = NORMAL as it does, which had
        // silently overridden FULL (no sync of the log at each commit).
        let synchronous = durability == .full ? "FULL" : "NORMAL"
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
        try StoreMigrations.migrator.migrate(pool)
        committer = GroupCommitter(pool: pool)
        let (pool, folder) = (pool, (path as NSString).deletingLastPathComponent)
        committer.onAuditCommitted {
            // A failed raise leaves the anchor behind the trail, which verify accepts; the trail
            // itself is committed and intact.
            try? Self.anchorAudit(pool: pool, folder: folder)
        }
    }

    /// Raises the data folder's anchor to the trail's head: after every write that appends to
    /// the trail, once it is committed (the anchor must never count an entry that is not).
    static func anchorAudit(pool: DatabasePool, folder: String) throws {
        guard let head = try pool.read({ db in try AuditChain.head(db) }) else { return }
        try AuditAnchor.raise(folder: folder, to: head)
    }

    /// A write outside the group commit that appends to the audit trail, anchored once it is
    /// committed.
    func auditedWrite<T>(_ body: (Database) throws -> T) throws -> T {
        let result = try pool.write(body)
        try? Self.anchorAudit(pool: pool, folder: folder)
        return result
    }

    /// The trail's head as it stands.
    public func auditHead() throws -> AuditHead? {
        try pool.read { db in try AuditChain.head(db) }
    }

    /// Stops the writer after committing what it holds.
    public func close() {
        committer.close()
    }

    // MARK: Accounts

    /// Creates an account and its first token, outside the group commit (for `circled admin`).
    public func createAccount(name: String, kind: AccountKind, at now: Timestamp) throws -> (AccountRecord, String) {
        let name = try TextRules.displayName(name).get()
        let account = AccountRecord(id: Secrets.newAccountID(), name: name, kind: kind, createdAt: now)
        let token = Secrets.newToken()
        try auditedWrite { db in
            try GroupCommitter.write(.account(account, tokenHash: Secrets.hash(token)), in: db)
            try AuditChain.append(
                AuditRecord(
                    at: now, actor: nil, action: .accountCreated, target: account.id.rawValue,
                    detail: "\(kind.rawValue) account created by the operator"),
                in: db)
        }
        return (account, token)
    }

    /// The account a token signs in as, unless the token is unknown or revoked.
    public func account(forToken token: String) throws -> AccountRecord? {
        let hash = Secrets.hash(token)
        return try pool.read { db in
            guard
                let token = try TokenRow.filter(TokenRow.Columns.hash == hash && TokenRow.Columns.revokedAt == nil)
                    .fetchOne(db)
            else { return nil }
            return try AccountRow.fetchOne(db, key: token.account)?.account
        }
    }

    public func account(_ id: AccountID) throws -> AccountRecord? {
        try pool.read { db in try AccountRow.fetchOne(db, key: id.rawValue)?.account }
    }

    // MARK: The audit trail

    /// Checks every link of the audit trail, and holds it against the heads recorded outside
    /// it (`witnesses`: the folder's anchor, archives' headers).
    public func verifyAudit(against witnesses: [AuditChain.Witness] = []) throws -> AuditChain.Verdict {
        try pool.read { db in try AuditChain.verify(db, against: witnesses) }
    }

    /// The latest audit entries, newest last; only a room's when `room` is given.
    public func auditEntries(room: RoomID? = nil, limit: Int = 100) throws -> [(id: Int64, record: AuditRecord)] {
        try pool.read { db in
            var request = AuditRow.order(AuditRow.Columns.id.desc).limit(limit)
            if let room { request = request.filter(AuditRow.Columns.room == room.rawValue) }
            return try request.fetchAll(db).reversed().compactMap { row in row.record.map { (row.id, $0) } }
        }
    }

    // MARK: Rooms and invites

    public func roomIDs() throws -> [RoomID] {
        try pool.read { db in
            try RoomRow.order(RoomRow.Columns.createdAt, RoomRow.Columns.id).fetchAll(db).map { RoomID($0.id) }
        }
    }

    /// The invite a code belongs to, whatever its state; the room decides if it still works.
    public func invite(forCode code: String) throws -> (InviteID, RoomID)? {
        let hash = Secrets.hash(Secrets.normalizedInviteCode(code))
        return try pool.read { db in
            try InviteRow.filter(InviteRow.Columns.codeHash == hash).fetchOne(db)
                .map { (InviteID($0.id), RoomID($0.room)) }
        }
    }

    // MARK: The event log

    /// Events with `after < seq <= through`, oldest first, that `viewer` may see.
    public func events(
        room: RoomID, after: Int64, through: Int64?, viewer: LogViewer?, limit: Int
    ) throws -> [StoredEvent] {
        let (filter, arguments) = Self.audienceFilter(viewer)
        return try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, json FROM events
                    WHERE room = ? AND seq > ? AND seq <= ? AND \(filter)
                    ORDER BY seq LIMIT ?
                    """,
                arguments: [room.rawValue, after, through ?? Int64.max] + arguments + [limit]
            ).map { StoredEvent(seq: $0["seq"], json: $0["json"]) }
        }
    }

    /// The latest `limit` events with `from <= seq < before` that `viewer` may see, oldest first.
    public func events(
        room: RoomID, from: Int64 = 1, before: Int64, viewer: LogViewer?, limit: Int
    ) throws -> [StoredEvent] {
        let (filter, arguments) = Self.audienceFilter(viewer)
        return try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, json FROM events
                    WHERE room = ? AND seq >= ? AND seq < ? AND \(filter)
                    ORDER BY seq DESC LIMIT ?
                    """,
                arguments: [room.rawValue, from, before] + arguments + [limit]
            ).reversed().map { StoredEvent(seq: $0["seq"], json: $0["json"]) }
        }
    }

    private static func audienceFilter(_ viewer: LogViewer?) -> (String, StatementArguments) {
        guard let viewer else { return ("1", []) }
        let mine = Audience.member(viewer.account).description
        let withFacilitators = Audience.facilitatorsAnd(viewer.account).description
        // A direct message's audience is `member:A+member:B`, the viewer on either side.
        let pairs = "(audience GLOB ? OR audience GLOB ?)"
        let pairArguments: StatementArguments = [mine + "+member:*", "member:*+" + mine]
        if viewer.role.isFacilitating {
            return (
                "(audience IN ('room', 'facilitators', ?) OR audience GLOB 'facilitators+member:*' OR \(pairs))",
                [mine] + pairArguments
            )
        }
        return ("(audience IN ('room', ?, ?) OR \(pairs))", [mine, withFacilitators] + pairArguments)
    }

    /// One event of a room, whoever may see it (the caller checks).
    public func event(room: RoomID, seq: Int64) throws -> Event? {
        try pool.read { db in
            try Data.fetchOne(
                db, sql: "SELECT json FROM events WHERE room = ? AND seq = ?", arguments: [room.rawValue, seq])
        }.map { try StoredEvent(seq: seq, json: $0).decoded() }
    }

    // MARK: Facilitator notes

    /// A room's notes about one member, oldest first.
    public func notes(room: RoomID, member: AccountID) throws -> [(id: Int64, note: NoteRecord)] {
        try pool.read { db in
            try NoteRow.filter(NoteRow.Columns.room == room.rawValue && NoteRow.Columns.member == member.rawValue)
                .order(NoteRow.Columns.id).fetchAll(db)
                .map { row in (row.id ?? 0, row.note) }
        }
    }

    // MARK: Journals

    /// An author's entries with `from <= at < to`, oldest first, at most `limit` (the latest).
    public func journal(
        author: AccountID, from: Timestamp = Timestamp(milliseconds: 0),
        to: Timestamp = Timestamp(milliseconds: Int64.max), limit: Int
    ) throws -> [JournalEntry] {
        try pool.read { db in
            try Self.journalEntries(
                JournalRow.filter(
                    JournalRow.Columns.author == author.rawValue && JournalRow.Columns.at >= from.milliseconds
                        && JournalRow.Columns.at < to.milliseconds),
                limit: limit, in: db)
        }
    }

    /// One entry, if `author` wrote it.
    public func journalEntry(_ id: Int64, author: AccountID) throws -> JournalEntry? {
        try pool.read { db in
            try Self.journalEntries(
                JournalRow.filter(JournalRow.Columns.id == id && JournalRow.Columns.author == author.rawValue),
                limit: 1, in: db
            ).first
        }
    }

    /// The entries shared with a room's facilitators, by one member or all.
    public func journalShared(room: RoomID, author: AccountID?, limit: Int) throws -> [JournalEntry] {
        try pool.read { db in
            let shared = JournalShareRow.filter(JournalShareRow.Columns.room == room.rawValue)
                .select(JournalShareRow.Columns.entry)
            var request = JournalRow.filter(shared.contains(JournalRow.Columns.id))
            if let author { request = request.filter(JournalRow.Columns.author == author.rawValue) }
            return try Self.journalEntries(request, limit: limit, in: db)
        }
    }

    /// The latest `limit` entries a request finds, oldest first, each with the rooms it is
    /// shared with.
    private static func journalEntries(
        _ request: QueryInterfaceRequest<JournalRow>, limit: Int, in db: Database
    ) throws -> [JournalEntry] {
        let rows = try request.order(JournalRow.Columns.at.desc, JournalRow.Columns.id.desc).limit(limit).fetchAll(db)
        return try rows.reversed().compactMap { row in
            let rooms = try JournalShareRow.filter(JournalShareRow.Columns.entry == row.id).fetchAll(db)
            return row.entry(sharedWith: rooms.map { RoomID($0.room) })
        }
    }
}
