import CircleCore
import GRDB

/// The hash chain over the audit trail: appending inside a write transaction, and checking
/// every link.
public enum AuditChain {
    /// The "previous hash" of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of an entry: SHA-256 over its fields in a length-prefixed form, so no choice of
    /// field contents can make two different entries read the same.
    public static func hash(id: Int64, record: AuditRecord, previous: String) -> String {
        var canonical = "circle-audit-v1"
        for field in [
            String(id), String(record.at.milliseconds), record.actor?.rawValue ?? "", record.action.rawValue,
            record.room?.rawValue ?? "", record.target ?? "", record.detail, previous,
        ] {
            canonical += "|\(field.utf8.count):\(field)"
        }
        return Secrets.sha256Hex(canonical)
    }

    /// Appends inside the caller's transaction, so concurrent writers (the server and
    /// `circled admin`) are ordered by SQLite's write lock and the chain never forks.
    static func append(_ record: AuditRecord, in db: Database) throws {
        let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
        let id: Int64 = (last?[0] ?? 0) + 1
        let previous: String = last?[1] ?? genesis
        try db.execute(
            sql: """
                INSERT INTO audit (id, at, actor, action, room, target, detail, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, record.at.milliseconds, record.actor?.rawValue, record.action.rawValue, record.room?.rawValue,
                record.target, record.detail, previous, hash(id: id, record: record, previous: previous),
            ])
    }

    /// The outcome of checking the whole trail.
    public enum Verdict: Hashable, Sendable {
        case intact(entries: Int64, lastHash: String)
        /// The first entry that does not check out, and why.
        case broken(entry: Int64, reason: String)
    }

    /// Walks the trail from the start, recomputing every hash and link.
    public static func verify(_ db: Database) throws -> Verdict {
        var expectedID: Int64 = 1
        var previous = genesis
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, at, actor, action, room, target, detail, prev_hash, hash FROM audit ORDER BY id")
        while let row = try rows.next() {
            let id: Int64 = row[0]
            guard id == expectedID else {
                return .broken(entry: expectedID, reason: "entry \(expectedID) is missing")
            }
            let actionName: String = row[3]
            guard let action = AuditRecord.Action(rawValue: actionName) else {
                return .broken(entry: id, reason: "entry \(id) has an unknown action '\(actionName)'")
            }
            let stored: String = row[8]
            let link: String = row[7]
            guard link == previous else {
                return .broken(entry: id, reason: "entry \(id) does not link to entry \(id - 1)")
            }
            let record = AuditRecord(
                at: Timestamp(milliseconds: row[1]), actor: (row[2] as String?).map(AccountID.init), action: action,
                room: (row[4] as String?).map(RoomID.init), target: row[5], detail: row[6])
            guard hash(id: id, record: record, previous: previous) == stored else {
                return .broken(entry: id, reason: "entry \(id) was changed after it was written")
            }
            previous = stored
            expectedID += 1
        }
        return .intact(entries: expectedID - 1, lastHash: previous)
    }
}
