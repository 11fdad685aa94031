import CircleCore
import Foundation
import GRDB

extension Store {
    /// Writes one page of an imported archive: the room and its members' accounts if missing
    /// (accounts without tokens: nobody can sign in as them until the operator issues one),
    /// then the events. An event already stored must be identical; importing twice changes
    /// nothing. Returns how many events were new.
    public func importPage(
        room: (id: RoomID, name: String, owner: AccountID, createdAt: Timestamp),
        accounts: [(AccountID, String, AccountKind)], events: [(Event, Data)]
    ) throws -> Int {
        try pool.write { db in
            for (id, name, kind) in accounts {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO accounts (id, name, kind, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [id.rawValue, name, kind.rawValue, room.createdAt.milliseconds])
            }
            try db.execute(
                sql: "INSERT OR IGNORE INTO rooms (id, name, owner, created_at) VALUES (?, ?, ?, ?)",
                arguments: [room.id.rawValue, room.name, room.owner.rawValue, room.createdAt.milliseconds])
            var added = 0
            let decoder = JSONDecoder()
            for (event, json) in events {
                if let stored = try Data.fetchOne(
                    db, sql: "SELECT json FROM events WHERE room = ? AND seq = ?",
                    arguments: [room.id.rawValue, event.seq])
                {
                    guard try decoder.decode(Event.self, from: stored) == event else {
                        throw CircleError(
                            .badField, "Event #\(event.seq) of \(room.id) differs from the one already stored.")
                    }
                    continue
                }
                try GroupCommitter.write(.event(event, json: json), in: db)
                added += 1
            }
            return added
        }
    }

    /// The room's latest snapshot: its state through `seq`, written by `RoomState.snapshotVersion`.
    public func snapshot(room: RoomID) throws -> (seq: Int64, version: Int, json: Data)? {
        try pool.read { db in
            try SnapshotRow.fetchOne(db, key: room.rawValue).map { ($0.seq, $0.version, $0.json) }
        }
    }

    /// Where a member's message with this client id is in a room's live log, if it is there.
    public func eventSeq(room: RoomID, actor: AccountID, clientID: String) throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT seq FROM events WHERE room = ? AND actor = ? AND client_id = ?",
                arguments: [room.rawValue, actor.rawValue, clientID])
        }
    }

    /// The highest sequence number a room holds, live or purged (0 if none).
    public func lastSeq(room: RoomID) throws -> Int64 {
        try pool.read { db in
            let live = try Int64.fetchOne(
                db, sql: "SELECT max(seq) FROM events WHERE room = ?", arguments: [room.rawValue])
            let purged = try Int64.fetchOne(
                db, sql: "SELECT max(last_seq) FROM purges WHERE room = ?", arguments: [room.rawValue])
            return max(live ?? 0, purged ?? 0)
        }
    }

    /// Appends an operator's entry to the audit trail outside the group commit (for `circled`).
    public func audit(_ record: AuditRecord) throws {
        try auditedWrite { db in try AuditChain.append(record, in: db) }
    }
}
