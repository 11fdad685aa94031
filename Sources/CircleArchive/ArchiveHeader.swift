import CircleCore

/// The first record of an archive: what it holds and how much of it.
public struct ArchiveHeader: Codable, Hashable, Sendable {
    /// What the archive covers.
    public enum Scope: String, Codable, Hashable, Sendable {
        /// One session of a room.
        case session
        /// A whole room, every session.
        case room
        /// Everything that is one member's own.
        case member
    }

    public static let currentFormat = 1

    public var format: Int
    public var server: String
    public var scope: Scope
    public var room: RoomID
    public var roomName: String
    public var session: Int?
    /// For a member's export, whose it is.
    public var member: AccountID?
    /// The log's sequence numbers the archive's events span.
    public var firstSeq: Int64
    public var lastSeq: Int64
    /// The time its events span, and when it was written.
    public var from: Timestamp?
    public var to: Timestamp?
    public var createdAt: Timestamp
    public var counts: ArchiveCounts
    /// The audit trail's head when the archive was written: a witness, outside the database,
    /// that `circled audit verify` holds the trail against. Nil in member exports, which carry
    /// nothing of the clinic's own record, and in archives older than it.
    public var audit: AuditHead?

    enum CodingKeys: String, CodingKey {
        case format, server, scope, room, session, member, from, to, counts, audit
        case roomName = "room_name"
        case firstSeq = "first_seq"
        case lastSeq = "last_seq"
        case createdAt = "created_at"
    }

    public init(
        server: String, scope: Scope, room: RoomID, roomName: String, session: Int?, member: AccountID? = nil,
        firstSeq: Int64, lastSeq: Int64, from: Timestamp?, to: Timestamp?, createdAt: Timestamp, counts: ArchiveCounts,
        audit: AuditHead? = nil
    ) {
        format = Self.currentFormat
        self.server = server
        self.scope = scope
        self.room = room
        self.roomName = roomName
        self.session = session
        self.member = member
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.from = from
        self.to = to
        self.createdAt = createdAt
        self.counts = counts
        self.audit = audit
    }
}

/// How many records of each kind an archive holds; the header promises them and the trailer
/// confirms them.
public struct ArchiveCounts: Codable, Hashable, Sendable {
    public var events = 0
    public var members = 0
    public var goals = 0
    public var checkIns = 0
    public var journal = 0

    enum CodingKeys: String, CodingKey {
        case events, members, goals, journal
        case checkIns = "check_ins"
    }

    public init(events: Int = 0, members: Int = 0, goals: Int = 0, checkIns: Int = 0, journal: Int = 0) {
        self.events = events
        self.members = members
        self.goals = goals
        self.checkIns = checkIns
        self.journal = journal
    }
}
