import CircleCore

/// The `result` objects of successful replies, one type per operation.
public enum Reply {
    public struct Account: Codable, Hashable, Sendable {
        public var id: AccountID
        public var name: String
        public var kind: AccountKind

        public init(id: AccountID, name: String, kind: AccountKind) {
            self.id = id
            self.name = name
            self.kind = kind
        }
    }

    public struct Hello: Codable, Hashable, Sendable {
        public var server: String
        public var `protocol`: Int
        /// Seconds between the server's pings on an otherwise quiet connection.
        public var heartbeat: Int
        public var maxFrame: Int
        public var account: Account?

        enum CodingKeys: String, CodingKey {
            case server, `protocol`, heartbeat, account
            case maxFrame = "max_frame"
        }

        public init(server: String, protocol: Int, heartbeat: Int, maxFrame: Int, account: Account?) {
            self.server = server
            self.protocol = `protocol`
            self.heartbeat = heartbeat
            self.maxFrame = maxFrame
            self.account = account
        }
    }

    public struct Redeemed: Codable, Hashable, Sendable {
        public var account: Account
        /// Present only when the invite created a new account: shown once, never again.
        public var token: String?
        public var room: RoomID
        /// The role the invite gave.
        public var role: RoomRole
        public var seq: Int64

        public init(account: Account, token: String?, room: RoomID, role: RoomRole = .participant, seq: Int64) {
            self.account = account
            self.token = token
            self.room = room
            self.role = role
            self.seq = seq
        }
    }

    public struct RoomCreated: Codable, Hashable, Sendable {
        public var room: RoomID
        public var name: String

        public init(room: RoomID, name: String) {
            self.room = room
            self.name = name
        }
    }

    public struct RoomSummary: Codable, Hashable, Sendable {
        public var id: RoomID
        public var name: String
        public var role: RoomRole
        public var session: Int?
        public var members: Int

        public init(id: RoomID, name: String, role: RoomRole, session: Int?, members: Int) {
            self.id = id
            self.name = name
            self.role = role
            self.session = session
            self.members = members
        }
    }

    public struct Rooms: Codable, Hashable, Sendable {
        public var rooms: [RoomSummary]

        public init(rooms: [RoomSummary]) {
            self.rooms = rooms
        }
    }

    public struct InviteCreated: Codable, Hashable, Sendable {
        public var invite: InviteID
        /// The code to hand to the invitee: shown once, stored only as a hash.
        public var code: String
        public var uses: Int
        public var expiresAt: Timestamp?
        public var seq: Int64

        enum CodingKeys: String, CodingKey {
            case invite, code, uses, seq
            case expiresAt = "expires_at"
        }

        public init(invite: InviteID, code: String, uses: Int, expiresAt: Timestamp?, seq: Int64) {
            self.invite = invite
            self.code = code
            self.uses = uses
            self.expiresAt = expiresAt
            self.seq = seq
        }
    }

    /// The log position of what a request appended; `duplicate` when it was already there.
    public struct Appended: Codable, Hashable, Sendable {
        public var seq: Int64
        public var duplicate: Bool

        public init(seq: Int64, duplicate: Bool = false) {
            self.seq = seq
            self.duplicate = duplicate
        }
    }

    public struct Joined: Codable, Hashable, Sendable {
        public var room: RoomID
        public var name: String
        public var role: RoomRole
        public var session: Int?
        /// When the open session began.
        public var sessionStartedAt: Timestamp?
        /// Events up to this sequence number follow the reply (those the member may see);
        /// later ones arrive live.
        public var through: Int64
        public var members: [Member]
        public var online: [AccountID]
        /// The agreements in force, and the version this member last accepted (0: none).
        public var agreementsVersion: Int
        public var agreements: String
        public var acceptedVersion: Int
        public var topic: String
        public var locked: Bool
        public var directMessages: Bool
        public var floor: FloorView
        public var round: RoundView?
        public var sharedGoals: [SharedGoal]

        enum CodingKeys: String, CodingKey {
            case room, name, role, session, through, members, online, agreements, topic, locked, floor, round
            case sharedGoals = "shared_goals"
            case sessionStartedAt = "session_started_at"
            case agreementsVersion = "agreements_version"
            case acceptedVersion = "accepted_version"
            case directMessages = "direct_messages"
        }

        public init(
            room: RoomID, name: String, role: RoomRole, session: Int?, sessionStartedAt: Timestamp? = nil,
            through: Int64, members: [Member], online: [AccountID], agreementsVersion: Int = 0,
            agreements: String = "", acceptedVersion: Int = 0, topic: String = "", locked: Bool = false,
            directMessages: Bool = false, floor: FloorView = FloorView(), round: RoundView? = nil,
            sharedGoals: [SharedGoal] = []
        ) {
            self.round = round
            self.sharedGoals = sharedGoals
            self.topic = topic
            self.locked = locked
            self.directMessages = directMessages
            self.floor = floor
            self.agreementsVersion = agreementsVersion
            self.agreements = agreements
            self.acceptedVersion = acceptedVersion
            self.room = room
            self.name = name
            self.role = role
            self.session = session
            self.sessionStartedAt = sessionStartedAt
            self.through = through
            self.members = members
            self.online = online
        }
    }

    public struct History: Codable, Hashable, Sendable {
        public var events: [Event]
        /// Whether more events lie beyond this page in the direction asked.
        public var more: Bool
        /// The room's members, so a reader can put names to the events' actors.
        public var members: [Member]
        /// Spans inside this page's reach that retention purged, oldest first; absent if none.
        public var purged: [PurgedSpan]?

        public init(events: [Event], more: Bool, members: [Member], purged: [PurgedSpan]? = nil) {
            self.events = events
            self.more = more
            self.members = members
            self.purged = purged
        }
    }

    /// One audit entry as facilitators see it.
    public struct AuditEntry: Codable, Hashable, Sendable {
        public var id: Int64
        public var at: Timestamp
        public var actor: AccountID?
        public var action: String
        public var room: RoomID?
        public var target: String?
        public var detail: String

        public init(
            id: Int64, at: Timestamp, actor: AccountID?, action: String, room: RoomID?, target: String?, detail: String
        ) {
            self.id = id
            self.at = at
            self.actor = actor
            self.action = action
            self.room = room
            self.target = target
            self.detail = detail
        }
    }

    public struct Audit: Codable, Hashable, Sendable {
        public var entries: [AuditEntry]

        public init(entries: [AuditEntry]) {
            self.entries = entries
        }
    }

    /// For operations whose success says nothing more.
    public struct Done: Codable, Hashable, Sendable {
        public init() {}
    }
}
