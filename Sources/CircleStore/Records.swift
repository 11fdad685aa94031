import CircleCore
import Foundation
import GRDB

// SQLite's rows as GRDB records, one per table, read and written by column name (GRDB's
// `AppDatabase` pattern). They stay inside this module: the types the server sees
// (`AccountRecord`, `ArchiveEntry`, `NoteRecord`, `JournalEntry`, `AuditRecord`) know nothing
// of SQLite, so another engine maps the same types to its own tables. The event insert, the
// one write on every message's path, stays a cached prepared statement
// (`GroupCommitter.insertEvent`).

/// Columns are named in snake_case in the schema, and in camelCase here.
protocol SnakeCaseRecord: Codable, FetchableRecord, PersistableRecord {}

extension SnakeCaseRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

/// A row of `accounts`.
struct AccountRow: SnakeCaseRecord {
    static let databaseTableName = "accounts"

    var id: String
    var name: String
    var kind: String
    var createdAt: Int64

    init(_ account: AccountRecord) {
        id = account.id.rawValue
        name = account.name
        kind = account.kind.rawValue
        createdAt = account.createdAt.milliseconds
    }

    var account: AccountRecord {
        AccountRecord(
            id: AccountID(id), name: name, kind: AccountKind(rawValue: kind) ?? .participant,
            createdAt: Timestamp(milliseconds: createdAt))
    }
}

/// A row of `tokens`: only the token's hash is ever stored.
struct TokenRow: SnakeCaseRecord {
    static let databaseTableName = "tokens"
    enum Columns {
        static let hash = Column("hash")
        static let revokedAt = Column("revoked_at")
    }

    var hash: String
    var account: String
    var createdAt: Int64
    var revokedAt: Int64?
}

/// A row of `rooms`: the index of rooms; a room's state is what its events add up to.
struct RoomRow: SnakeCaseRecord {
    static let databaseTableName = "rooms"
    enum Columns {
        static let id = Column("id")
        static let createdAt = Column("created_at")
    }

    var id: String
    var name: String
    var owner: String
    var createdAt: Int64
}

/// A row of `invites`: an invite code's hash and its room.
struct InviteRow: SnakeCaseRecord {
    static let databaseTableName = "invites"
    enum Columns {
        static let codeHash = Column("code_hash")
    }

    var id: String
    var room: String
    var codeHash: String
    var createdAt: Int64
}

/// A row of `notes`.
struct NoteRow: SnakeCaseRecord {
    static let databaseTableName = "notes"
    enum Columns {
        static let id = Column("id")
        static let room = Column("room")
        static let member = Column("member")
    }

    var id: Int64?
    var room: String
    var member: String
    var author: String
    var at: Int64
    var text: String

    init(_ note: NoteRecord) {
        room = note.room.rawValue
        member = note.member.rawValue
        author = note.author.rawValue
        at = note.at.milliseconds
        text = note.text
    }

    var note: NoteRecord {
        NoteRecord(
            room: RoomID(room), member: AccountID(member), author: AccountID(author), at: Timestamp(milliseconds: at),
            text: text)
    }
}

/// A row of `journal`; the rooms an entry is shared with are rows of `journal_shares`.
struct JournalRow: SnakeCaseRecord {
    static let databaseTableName = "journal"
    enum Columns {
        static let id = Column("id")
        static let author = Column("author")
        static let at = Column("at")
    }

    var id: Int64
    var author: String
    var at: Int64
    var kind: String
    var text: String
    /// Comma-separated; tags hold no commas (`JournalEntry.validated`).
    var tags: String
    var mood: Int?

    init(_ entry: JournalEntry) {
        id = entry.id
        author = entry.author.rawValue
        at = entry.at.milliseconds
        kind = entry.kind.rawValue
        text = entry.text
        tags = entry.tags.joined(separator: ",")
        mood = entry.mood
    }

    /// The entry, with the rooms it is shared with; nil for a kind this build does not know.
    func entry(sharedWith rooms: [RoomID]) -> JournalEntry? {
        guard let kind = JournalKind(rawValue: kind) else { return nil }
        return JournalEntry(
            id: id, author: AccountID(author), at: Timestamp(milliseconds: at), kind: kind, text: text,
            tags: tags.isEmpty ? [] : tags.split(separator: ",").map(String.init), mood: mood, sharedWith: rooms)
    }
}

/// A row of `journal_shares`.
struct JournalShareRow: SnakeCaseRecord {
    static let databaseTableName = "journal_shares"
    enum Columns {
        static let entry = Column("entry")
        static let room = Column("room")
    }

    var entry: Int64
    var room: String
    var at: Int64
}

/// A row of `archives`: a session archive in the data folder, and whether it verified.
struct ArchiveRow: SnakeCaseRecord {
    static let databaseTableName = "archives"
    enum Columns {
        static let room = Column("room")
        static let session = Column("session")
    }

    var room: String
    var session: Int
    var file: String
    var sha256: String
    var bytes: Int
    var events: Int
    var firstSeq: Int64
    var lastSeq: Int64
    var createdAt: Int64
    var verifiedAt: Int64?

    init(_ entry: ArchiveEntry) {
        room = entry.room.rawValue
        session = entry.session
        file = entry.file
        sha256 = entry.sha256
        bytes = entry.bytes
        events = entry.events
        firstSeq = entry.firstSeq
        lastSeq = entry.lastSeq
        createdAt = entry.createdAt.milliseconds
        verifiedAt = entry.verifiedAt?.milliseconds
    }

    var entry: ArchiveEntry {
        ArchiveEntry(
            room: RoomID(room), session: session, file: file, sha256: sha256, bytes: bytes, events: events,
            firstSeq: firstSeq, lastSeq: lastSeq, createdAt: Timestamp(milliseconds: createdAt),
            verifiedAt: verifiedAt.map(Timestamp.init(milliseconds:)))
    }
}

/// A row of `purges`: a session's events removed from the live log, and the archive that
/// keeps them.
struct PurgeRow: SnakeCaseRecord {
    static let databaseTableName = "purges"
    enum Columns {
        static let room = Column("room")
        static let firstSeq = Column("first_seq")
    }

    var room: String
    var session: Int
    var firstSeq: Int64
    var lastSeq: Int64
    var file: String
    var at: Int64
}

/// A row of `legal_holds`.
struct LegalHoldRow: SnakeCaseRecord {
    static let databaseTableName = "legal_holds"

    var room: String
    var at: Int64
    var reason: String
}

/// A row of `room_snapshots`: a room's state through `seq`.
struct SnapshotRow: SnakeCaseRecord {
    static let databaseTableName = "room_snapshots"

    var room: String
    var seq: Int64
    var version: Int
    var json: Data
}

/// A row of `audit`, read back (entries are appended by `AuditChain`, which links them).
struct AuditRow: SnakeCaseRecord {
    static let databaseTableName = "audit"
    enum Columns {
        static let id = Column("id")
        static let room = Column("room")
    }

    var id: Int64
    var at: Int64
    var actor: String?
    var action: String
    var room: String?
    var target: String?
    var detail: String
    var prevHash: String
    var hash: String

    /// The entry; nil for an action this build does not know.
    var record: AuditRecord? {
        guard let action = AuditRecord.Action(rawValue: action) else { return nil }
        return AuditRecord(
            at: Timestamp(milliseconds: at), actor: actor.map(AccountID.init), action: action,
            room: room.map(RoomID.init), target: target, detail: detail)
    }
}
