import CircleCore

extension Request {
    /// A personal goal: your own, or (facilitators) a member's.
    public struct GoalSet: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var member: AccountID?
        public var text: String
        public var horizon: Goal.Horizon?
        /// `YYYY-MM-DD`.
        public var target: String?
        public var visibility: Goal.Visibility?

        public init(
            room: RoomID, member: AccountID? = nil, text: String, horizon: Goal.Horizon? = nil, target: String? = nil,
            visibility: Goal.Visibility? = nil
        ) {
            self.room = room
            self.member = member
            self.text = text
            self.horizon = horizon
            self.target = target
            self.visibility = visibility
        }
    }

    /// Changes a goal, keeping its earlier wording; absent fields stay, an empty target clears.
    public struct GoalRevise: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var goal: GoalID
        public var text: String?
        public var horizon: Goal.Horizon?
        public var target: String?
        public var visibility: Goal.Visibility?
        public var reason: String

        public init(
            room: RoomID, goal: GoalID, text: String? = nil, horizon: Goal.Horizon? = nil, target: String? = nil,
            visibility: Goal.Visibility? = nil, reason: String
        ) {
            self.room = room
            self.goal = goal
            self.text = text
            self.horizon = horizon
            self.target = target
            self.visibility = visibility
            self.reason = reason
        }
    }

    public struct GoalStatus: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var goal: GoalID
        public var status: Goal.Status
        public var reason: String?

        public init(room: RoomID, goal: GoalID, status: Goal.Status, reason: String? = nil) {
            self.room = room
            self.goal = goal
            self.status = status
            self.reason = reason
        }
    }

    public struct SharedGoalDecide: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var goal: GoalID
        public var accept: Bool
        public var reason: String?

        public init(room: RoomID, goal: GoalID, accept: Bool, reason: String? = nil) {
            self.room = room
            self.goal = goal
            self.accept = accept
            self.reason = reason
        }
    }

    /// The room's settings for goals and rounds; absent fields stay as they are.
    public struct RoomSettings: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var maxGoals: Int?
        public var crossTalk: CrossTalk?

        enum CodingKeys: String, CodingKey {
            case room
            case maxGoals = "max_goals"
            case crossTalk = "cross_talk"
        }

        public init(room: RoomID, maxGoals: Int? = nil, crossTalk: CrossTalk? = nil) {
            self.room = room
            self.maxGoals = maxGoals
            self.crossTalk = crossTalk
        }
    }

    public struct RoundStart: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var kind: Round.Kind?
        public var prompt: String
        public var order: Round.Order?
        /// The members in order, for `listed`.
        public var members: [AccountID]?
        public var turnSeconds: Int?
        public var instrument: String?

        enum CodingKeys: String, CodingKey {
            case room, kind, prompt, order, members, instrument
            case turnSeconds = "turn_seconds"
        }

        public init(
            room: RoomID, kind: Round.Kind? = nil, prompt: String, order: Round.Order? = nil,
            members: [AccountID]? = nil, turnSeconds: Int? = nil, instrument: String? = nil
        ) {
            self.room = room
            self.kind = kind
            self.prompt = prompt
            self.order = order
            self.members = members
            self.turnSeconds = turnSeconds
            self.instrument = instrument
        }
    }

    /// Your check-in, during your turn.
    public struct CheckInSubmit: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var ratings: [CheckIn.Rating]?
        public var answers: [Int]?
        public var note: String?
        public var kept: CheckIn.Kept?
        public var commitment: String?

        public init(
            room: RoomID, ratings: [CheckIn.Rating]? = nil, answers: [Int]? = nil, note: String? = nil,
            kept: CheckIn.Kept? = nil, commitment: String? = nil
        ) {
            self.room = room
            self.ratings = ratings
            self.answers = answers
            self.note = note
            self.kept = kept
            self.commitment = commitment
        }

        public var checkIn: CheckIn {
            CheckIn(ratings: ratings ?? [], answers: answers, note: note, kept: kept, commitment: commitment)
        }
    }

    public struct RoundExtend: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var seconds: Int

        public init(room: RoomID, seconds: Int) {
            self.room = room
            self.seconds = seconds
        }
    }

    public struct AttendanceSet: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var member: AccountID
        public var status: Attendance

        public init(room: RoomID, member: AccountID, status: Attendance) {
            self.room = room
            self.member = member
            self.status = status
        }
    }

    /// A member's progress (your own when absent), or the journal entries shared with a room.
    public struct ProgressQuery: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var member: AccountID?

        public init(room: RoomID, member: AccountID? = nil) {
            self.room = room
            self.member = member
        }
    }

    /// A private journal entry; it belongs to you and is never in a room's log.
    public struct JournalAdd: Codable, Hashable, Sendable {
        public var kind: JournalKind
        public var text: String
        public var tags: [String]?
        public var mood: Int?

        public init(kind: JournalKind, text: String, tags: [String]? = nil, mood: Int? = nil) {
            self.kind = kind
            self.text = text
            self.tags = tags
            self.mood = mood
        }
    }

    public struct JournalList: Codable, Hashable, Sendable {
        public var limit: Int?

        public init(limit: Int? = nil) {
            self.limit = limit
        }
    }

    /// Shares one of your entries with a room's facilitators.
    public struct JournalShare: Codable, Hashable, Sendable, RoomScoped {
        public var entry: Int64
        public var room: RoomID

        public init(entry: Int64, room: RoomID) {
            self.entry = entry
            self.room = room
        }
    }

    /// A month's summary of your journal, `YYYY-MM`.
    public struct JournalSummary: Codable, Hashable, Sendable {
        public var month: String

        public init(month: String) {
            self.month = month
        }
    }

    /// Prepares a session's archive (or, without `session`, the whole room's) for download.
    public struct ArchiveExport: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var session: Int?

        public init(room: RoomID, session: Int? = nil) {
            self.room = room
            self.session = session
        }
    }

    /// One chunk of a prepared archive, from `offset`.
    public struct ArchiveRead: Codable, Hashable, Sendable, RoomScoped {
        public var room: RoomID
        public var file: String
        public var offset: Int

        public init(room: RoomID, file: String, offset: Int) {
            self.room = room
            self.file = file
            self.offset = offset
        }
    }
}
