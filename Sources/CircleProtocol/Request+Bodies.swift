import CircleCore

extension Request {
    /// Opens the conversation: names the protocol version and, optionally, signs in.
    public struct Hello: Codable, Hashable, Sendable {
        public var `protocol`: Int
        public var client: String?
        public var token: String?

        public init(protocol: Int = ProtocolVersion.current, client: String? = nil, token: String? = nil) {
            self.protocol = `protocol`
            self.client = client
            self.token = token
        }
    }

    /// Redeems an invite code under a chosen display name.
    public struct Redeem: Codable, Hashable, Sendable {
        public var code: String
        public var name: String

        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    public struct RoomCreate: Codable, Hashable, Sendable {
        public var name: String

        public init(name: String) {
            self.name = name
        }
    }

    /// Names one room, for requests that need nothing else.
    public struct RoomRef: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID

        public init(room: RoomID) {
            self.room = room
        }
    }

    public struct InviteCreate: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        /// How many people may redeem it (default 1).
        public var uses: Int?
        /// Seconds until it expires (default 7 days).
        public var expiresIn: Int64?
        /// The role its holders join with (default participant).
        public var role: RoomRole?

        enum CodingKeys: String, CodingKey {
            case room, uses, role
            case expiresIn = "expires_in"
        }

        public init(room: RoomID, uses: Int? = nil, expiresIn: Int64? = nil, role: RoomRole? = nil) {
            self.room = room
            self.uses = uses
            self.expiresIn = expiresIn
            self.role = role
        }
    }

    /// Subscribes to a room's events: from `since` when resuming, else recent history first.
    public struct Join: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var since: Int64?

        public init(room: RoomID, since: Int64? = nil) {
            self.room = room
            self.since = since
        }
    }

    public struct Say: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var text: String
        /// The client's id for this message; a re-send with the same id is stored once.
        public var cid: String?

        public init(room: RoomID, text: String, cid: String? = nil) {
            self.room = room
            self.text = text
            self.cid = cid
        }
    }

    /// New agreements for a room (its facilitators); members accept them again.
    public struct AgreementsSet: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var text: String

        public init(room: RoomID, text: String) {
            self.room = room
            self.text = text
        }
    }

    /// Accepts the version of the agreements the member has read.
    public struct AgreementsAccept: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var version: Int

        public init(room: RoomID, version: Int) {
            self.room = room
            self.version = version
        }
    }

    /// "I need help", privately to the room's facilitators, with an optional note.
    public struct HelpSignal: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var note: String?

        public init(room: RoomID, note: String? = nil) {
            self.room = room
            self.note = note
        }
    }

    /// Mutes, bans or sends out a member: for `duration` seconds, or until lifted when absent
    /// (a kick takes none); the member sees why.
    public struct MemberSanction: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var member: AccountID
        public var duration: Int64?
        public var reason: String

        public init(room: RoomID, member: AccountID, duration: Int64? = nil, reason: String) {
            self.room = room
            self.member = member
            self.duration = duration
            self.reason = reason
        }
    }

    /// Names one member of one room.
    public struct MemberRef: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var member: AccountID

        public init(room: RoomID, member: AccountID) {
            self.room = room
            self.member = member
        }
    }

    /// A room's audit entries, newest last (its facilitators only).
    public struct AuditList: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var limit: Int?

        public init(room: RoomID, limit: Int? = nil) {
            self.room = room
            self.limit = limit
        }
    }

    /// Pages through a room's log: events after `after`, or else the latest before `before`.
    public struct History: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var before: Int64?
        public var after: Int64?
        public var limit: Int?

        public init(room: RoomID, before: Int64? = nil, after: Int64? = nil, limit: Int? = nil) {
            self.room = room
            self.before = before
            self.after = after
            self.limit = limit
        }
    }

    /// Gives a member another role (the room's facilitator only).
    public struct MemberRole: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var member: AccountID
        public var role: RoomRole

        public init(room: RoomID, member: AccountID, role: RoomRole) {
            self.room = room
            self.member = member
            self.role = role
        }
    }

    /// Removes one message; members see it as removed, and its author is told why.
    public struct MessageRemove: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var seq: Int64
        public var reason: String

        public init(room: RoomID, seq: Int64, reason: String) {
            self.room = room
            self.seq = seq
            self.reason = reason
        }
    }

    /// Names one event of one room.
    public struct MessageRef: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var seq: Int64

        public init(room: RoomID, seq: Int64) {
            self.room = room
            self.seq = seq
        }
    }

    /// A text for a room: its topic (empty clears it), or a shared goal.
    public struct RoomText: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var text: String

        public init(room: RoomID, text: String) {
            self.room = room
            self.text = text
        }
    }

    /// Sets the floor mode; `seconds` is slow mode's gap between one member's messages.
    public struct FloorSet: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var mode: FloorMode
        public var seconds: Int?

        public init(room: RoomID, mode: FloorMode, seconds: Int? = nil) {
            self.room = room
            self.mode = mode
            self.seconds = seconds
        }
    }

    /// Lowers a raised hand: your own when `member` is absent.
    public struct HandLower: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var member: AccountID?

        public init(room: RoomID, member: AccountID? = nil) {
            self.room = room
            self.member = member
        }
    }

    /// Gives the floor or passes the talking piece to `member` (absent: back to no one), for
    /// `duration` seconds or until passed on.
    public struct FloorGive: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var member: AccountID?
        public var duration: Int64?

        public init(room: RoomID, member: AccountID? = nil, duration: Int64? = nil) {
            self.room = room
            self.member = member
            self.duration = duration
        }
    }

    /// Allows or stops direct messages between members.
    public struct DirectMessagesAllow: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var allowed: Bool

        public init(room: RoomID, allowed: Bool) {
            self.room = room
            self.allowed = allowed
        }
    }

    /// A private message to one member, or to the facilitators when `to` is absent.
    public struct DirectMessage: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var to: AccountID?
        public var text: String
        public var cid: String?

        public init(room: RoomID, to: AccountID? = nil, text: String, cid: String? = nil) {
            self.room = room
            self.to = to
            self.text = text
            self.cid = cid
        }
    }

    /// A facilitator's private note about a member, kept apart from the room's log.
    public struct NoteAdd: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var member: AccountID
        public var text: String

        public init(room: RoomID, member: AccountID, text: String) {
            self.room = room
            self.member = member
            self.text = text
        }
    }
}
