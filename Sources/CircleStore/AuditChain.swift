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
        let last = try head(db)
        let id = (last?.entries ?? 0) + 1
        let previous = last?.hash ?? genesis
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

    /// A head recorded outside the trail, and where it was found (for the sentence).
    public struct Witness: Hashable, Sendable {
        public var head: AuditHead
        public var source: String

        public init(head: AuditHead, source: String) {
            self.head = head
            self.source = source
        }
    }

    /// The head of the trail as it stands: nil while it is empty.
    public static func head(_ db: Database) throws -> AuditHead? {
        try AuditRow.order(AuditRow.Columns.id.desc).fetchOne(db).map { AuditHead(entries: $0.id, hash: $0.hash) }
    }

    /// Walks the trail from the start, recomputing every hash and link, then holds it against
    /// each witness: a trail shorter than a head once recorded lost its newest entries, and
    /// one whose entry there hashes differently was rewritten.
    public static func verify(_ db: Database, against witnesses: [Witness] = []) throws -> Verdict {
        var expectedID: Int64 = 1
        var previous = genesis
        let anchored = Set(witnesses.map(\.head.entries))
        var hashes: [Int64: String] = [:]
        let rows = try AuditRow.order(AuditRow.Columns.id).fetchCursor(db)
        while let row = try rows.next() {
            let id = row.id
            guard id == expectedID else {
                return .broken(entry: expectedID, reason: "entry \(expectedID) is missing")
            }
            guard let record = row.record else {
                return .broken(entry: id, reason: "entry \(id) has an unknown action '\(row.action)'")
            }
            let stored = row.hash
            guard row.prevHash == previous else {
                return .broken(entry: id, reason: "entry \(id) does not link to entry \(id - 1)")
            }
            guard hash(id: id, record: record, previous: previous) == stored else {
                return .broken(entry: id, reason: "entry \(id) was changed after it was written")
            }
            previous = stored
            if anchored.contains(id) { hashes[id] = stored }
            expectedID += 1
        }
        let entries = expectedID - 1
        for witness in witnesses.sorted(by: { $0.head.entries > $1.head.entries }) {
            let head = witness.head
            guard head.entries <= entries else {
                return .broken(
                    entry: entries + 1,
                    reason:
                        "the newest entries were removed: the trail ends at entry \(entries), but \(witness.source) counted \(head.entries)"
                )
            }
            guard head.entries == 0 || hashes[head.entries] == head.hash else {
                return .broken(
                    entry: head.entries,
                    reason: "entry \(head.entries) is not the one \(witness.source) recorded: the trail was rewritten")
            }
        }
        return .intact(entries: entries, lastHash: previous)
    }
}
