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
            try Row.fetchOne(
                db,
                sql: """
                    SELECT a.id, a.name, a.kind, a.created_at FROM tokens t JOIN accounts a ON a.id = t.account
                    WHERE t.hash = ? AND t.revoked_at IS NULL
                    """, arguments: [hash]
            ).map(Self.account(from:))
        }
    }

    public func account(_ id: AccountID) throws -> AccountRecord? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, name, kind, created_at FROM accounts WHERE id = ?", arguments: [id.rawValue]
            )
            .map(Self.account(from:))
        }
    }

    private static func account(from row: Row) -> AccountRecord {
        AccountRecord(
            id: AccountID(row[0]), name: row[1], kind: AccountKind(rawValue: row[2]) ?? .participant,
            createdAt: Timestamp(milliseconds: row[3]))
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
            let filter = room == nil ? "" : "WHERE room = ?"
            let arguments: StatementArguments = room.map { [$0.rawValue, limit] } ?? [limit]
            return try Row.fetchAll(
                db,
                sql: "SELECT id, at, actor, action, room, target, detail FROM audit \(filter) ORDER BY id DESC LIMIT ?",
                arguments: arguments
            ).reversed().compactMap { row in
                guard let action = AuditRecord.Action(rawValue: row[3]) else { return nil }
                return (
                    row[0],
                    AuditRecord(
                        at: Timestamp(milliseconds: row[1]), actor: (row[2] as String?).map(AccountID.init),
                        action: action, room: (row[4] as String?).map(RoomID.init), target: row[5], detail: row[6])
                )
            }
        }
    }

    // MARK: Rooms and invites

    public func roomIDs() throws -> [RoomID] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM rooms ORDER BY created_at, id").map(RoomID.init)
        }
    }

    /// The invite a code belongs to, whatever its state; the room decides if it still works.
    public func invite(forCode code: String) throws -> (InviteID, RoomID)? {
        let hash = Secrets.hash(Secrets.normalizedInviteCode(code))
        return try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, room FROM invites WHERE code_hash = ?", arguments: [hash])
                .map { (InviteID($0[0]), RoomID($0[1])) }
        }
    }

    // MARK: The event log

    public typealias Viewer = LogViewer

    /// Events with `after < seq <= through`, oldest first, that `viewer` may see.
    public func events(
        room: RoomID, after: Int64, through: Int64?, viewer: Viewer?, limit: Int
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
            ).map { StoredEvent(seq: $0[0], json: $0[1]) }
        }
    }

    /// The latest `limit` events with `from <= seq < before` that `viewer` may see, oldest first.
    public func events(
        room: RoomID, from: Int64 = 1, before: Int64, viewer: Viewer?, limit: Int
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
            ).reversed().map { StoredEvent(seq: $0[0], json: $0[1]) }
        }
    }

    private static func audienceFilter(_ viewer: Viewer?) -> (String, StatementArguments) {
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
            try Row.fetchAll(
                db,
                sql: "SELECT id, member, author, at, text FROM notes WHERE room = ? AND member = ? ORDER BY id",
                arguments: [room.rawValue, member.rawValue]
            ).map { row in
                (
                    row[0],
                    NoteRecord(
                        room: room, member: AccountID(row[1]), author: AccountID(row[2]),
                        at: Timestamp(milliseconds: row[3]), text: row[4])
                )
            }
        }
    }

    // MARK: Journals

    /// An author's entries with `from <= at < to`, oldest first, at most `limit` (the latest).
    public func journal(
        author: AccountID, from: Timestamp = Timestamp(milliseconds: 0),
        to: Timestamp = Timestamp(milliseconds: Int64.max), limit: Int
    ) throws -> [JournalEntry] {
        try pool.read { db in
            try Self.journalRows(
                db,
                where: "author = ? AND at >= ? AND at < ?",
                arguments: [author.rawValue, from.milliseconds, to.milliseconds], limit: limit)
        }
    }

    /// One entry, if `author` wrote it.
    public func journalEntry(_ id: Int64, author: AccountID) throws -> JournalEntry? {
        try pool.read { db in
            try Self.journalRows(db, where: "id = ? AND author = ?", arguments: [id, author.rawValue], limit: 1).first
        }
    }

    /// The entries shared with a room's facilitators, by one member or all.
    public func journalShared(room: RoomID, author: AccountID?, limit: Int) throws -> [JournalEntry] {
        try pool.read { db in
            var condition = "id IN (SELECT entry FROM journal_shares WHERE room = ?)"
            var arguments: StatementArguments = [room.rawValue]
            if let author {
                condition += " AND author = ?"
                arguments += [author.rawValue]
            }
            return try Self.journalRows(db, where: condition, arguments: arguments, limit: limit)
        }
    }

    private static func journalRows(
        _ db: Database, where condition: String, arguments: StatementArguments, limit: Int
    ) throws -> [JournalEntry] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, author, at, kind, text, tags, mood,
                    (SELECT group_concat(room) FROM journal_shares WHERE entry = journal.id)
                FROM journal WHERE \(condition) ORDER BY at DESC, id DESC LIMIT ?
                """,
            arguments: arguments + [limit])
        return rows.reversed().compactMap { row in
            guard let kind = JournalKind(rawValue: row[3]) else { return nil }
            let tags: String = row[5]
            let shared: String? = row[7]
            return JournalEntry(
                id: row[0], author: AccountID(row[1]), at: Timestamp(milliseconds: row[2]), kind: kind, text: row[4],
                tags: tags.isEmpty ? [] : tags.split(separator: ",").map(String.init), mood: row[6],
                sharedWith: shared.map { $0.split(separator: ",").map { RoomID(String($0)) } } ?? [])
        }
    }
}
