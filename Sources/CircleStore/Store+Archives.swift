import CircleCore
import Foundation
import GRDB

extension Store {
    /// The data folder, where archives live beside the database.
    public var folder: String {
        (path as NSString).deletingLastPathComponent
    }

    /// The span of a session's archive: every event after the previous session closed, through
    /// this one's close, so consecutive session archives hold the whole log without a gap. Nil
    /// if the session has not closed.
    public func sessionSpan(room: RoomID, session: Int) throws -> (first: Int64, last: Int64, count: Int)? {
        try pool.read { db in
            func closed(_ number: Int) throws -> Int64? {
                if let archived = try Int64.fetchOne(
                    db, sql: "SELECT last_seq FROM archives WHERE room = ? AND session = ?",
                    arguments: [room.rawValue, number])
                {
                    return archived
                }
                return try Int64.fetchOne(
                    db,
                    sql:
                        "SELECT seq FROM events INDEXED BY events_session_closed WHERE room = ? AND kind = 'session_closed' AND session = ?",
                    arguments: [room.rawValue, number])
            }
            guard let last = try closed(session) else { return nil }
            let first = (session > 1 ? try closed(session - 1) ?? 0 : 0) + 1
            return (first, last, Int(last - first + 1))
        }
    }

    /// Calls `body` with a room's events with `after < seq <= through`, in order, as stored, a
    /// page at a time: bounded memory whatever the size.
    public func forEachStoredEvent(
        room: RoomID, after: Int64 = 0, through: Int64 = Int64.max, pageSize: Int = 5000,
        _ body: (StoredEvent) throws -> Void
    ) throws {
        var after = after
        while true {
            // A cursor over one page, the blob read in place: a long export copies each event
            // once, into the archive's buffer, and holds no more than a page's snapshot open.
            let (count, last): (Int, Int64?) = try pool.read { db in
                let cursor = try Row.fetchCursor(
                    db,
                    sql: "SELECT seq, json FROM events WHERE room = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                    arguments: [room.rawValue, after, through, pageSize])
                var count = 0
                var last: Int64?
                while let row = try cursor.next() {
                    let seq: Int64 = row["seq"]
                    try row.withUnsafeData(named: "json") { json in
                        try body(StoredEvent(seq: seq, json: json ?? Data()))
                    }
                    count += 1
                    last = seq
                }
                return (count, last)
            }
            guard let last, count == pageSize else { return }
            after = last
        }
    }

    /// How many events a room holds in the live database, up to `through`.
    public func eventCount(room: RoomID, through: Int64 = Int64.max) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM events WHERE room = ? AND seq <= ?", arguments: [room.rawValue, through])
                ?? 0
        }
    }

    public func archiveEntry(room: RoomID, session: Int) throws -> ArchiveEntry? {
        try pool.read { db in
            try ArchiveRow.fetchOne(db, key: ["room": room.rawValue, "session": session])?.entry
        }
    }

    // MARK: Legal holds and retention

    /// Puts a room under legal hold (nothing of it is purged) or lifts the hold; audited.
    public func setLegalHold(room: RoomID, held: Bool, reason: String, at now: Timestamp) throws {
        try auditedWrite { db in
            guard try RoomRow.exists(db, key: room.rawValue) else {
                throw CircleError(.noSuchRoom, "There is no room \(room).")
            }
            if held {
                try LegalHoldRow(room: room.rawValue, at: now.milliseconds, reason: reason).insert(
                    db, onConflict: .replace)
            } else {
                try LegalHoldRow.deleteOne(db, key: room.rawValue)
            }
            try AuditChain.append(
                AuditRecord(
                    at: now, actor: nil, action: held ? .legalHoldSet : .legalHoldLifted, room: room, detail: reason),
                in: db)
        }
    }

    public func isOnLegalHold(_ room: RoomID) throws -> Bool {
        try pool.read { db in try LegalHoldRow.exists(db, key: room.rawValue) }
    }

    /// Sessions whose archive verified, closed before `cutoff`, in rooms not under legal hold,
    /// whose events are still in the live database: what retention may purge.
    public func purgeCandidates(closedBefore cutoff: Timestamp) throws -> [ArchiveEntry] {
        try pool.read { db in
            try ArchiveRow.fetchAll(
                db,
                sql: """
                    SELECT a.* FROM archives a
                    WHERE a.verified_at IS NOT NULL AND a.created_at < ?
                        AND a.room NOT IN (SELECT room FROM legal_holds)
                        AND NOT EXISTS (SELECT 1 FROM purges p WHERE p.room = a.room AND p.session = a.session)
                    ORDER BY a.room, a.session
                    """, arguments: [cutoff.milliseconds]
            ).map(\.entry)
        }
    }

    /// Deletes a session's events from the live database and records where they are kept
    /// (its archive), audited in the same transaction; a room under legal hold keeps them,
    /// which the transaction itself checks (a hold may be set from `circled` at any moment).
    /// Written by the committer, as the `purge` change.
    static func purge(_ entry: ArchiveEntry, at now: Timestamp, in db: Database) throws {
        guard try !LegalHoldRow.exists(db, key: entry.room.rawValue) else { return }
        try db.execute(
            sql: "DELETE FROM events WHERE room = ? AND seq BETWEEN ? AND ?",
            arguments: [entry.room.rawValue, entry.firstSeq, entry.lastSeq])
        try PurgeRow(
            room: entry.room.rawValue, session: entry.session, firstSeq: entry.firstSeq, lastSeq: entry.lastSeq,
            file: entry.file, at: now.milliseconds
        ).insert(db)
        try AuditChain.append(
            AuditRecord(
                at: now, actor: nil, action: .sessionPurged, room: entry.room, target: "session \(entry.session)",
                detail: "\(entry.events) events, kept in \(entry.file)"),
            in: db)
    }

    /// Every archive the folder's index lists, as paths relative to the folder.
    public func archivedFiles() throws -> [String] {
        try pool.read { db in
            try ArchiveRow.order(ArchiveRow.Columns.room, ArchiveRow.Columns.session).fetchAll(db).map(\.file)
        }
    }

    /// The purged spans of a room, in order: where its replay must read archives instead.
    public func purges(room: RoomID) throws -> [(first: Int64, last: Int64, session: Int, file: String)] {
        try pool.read { db in
            try PurgeRow.filter(PurgeRow.Columns.room == room.rawValue).order(PurgeRow.Columns.firstSeq).fetchAll(db)
                .map { ($0.firstSeq, $0.lastSeq, $0.session, $0.file) }
        }
    }
}
