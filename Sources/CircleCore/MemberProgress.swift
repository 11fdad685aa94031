/// A member's record across sessions, as they (and their facilitators) see it: each goal's
/// trend, their commitments and whether they kept them, their attendance and their scores.
public struct MemberProgress: Hashable, Sendable, Codable {
    /// One session's rating of a goal.
    public struct Point: Hashable, Sendable, Codable {
        public var session: Int
        public var progress: Int
        public var gas: Int?

        public init(session: Int, progress: Int, gas: Int? = nil) {
            self.session = session
            self.progress = progress
            self.gas = gas
        }
    }

    public struct GoalTrend: Hashable, Sendable, Codable {
        public var goal: Goal
        public var points: [Point]

        public init(goal: Goal, points: [Point]) {
            self.goal = goal
            self.points = points
        }
    }

    /// A commitment, and how the member said it went at their next check-in.
    public struct Commitment: Hashable, Sendable, Codable {
        public var session: Int
        public var text: String
        public var kept: CheckIn.Kept?

        public init(session: Int, text: String, kept: CheckIn.Kept?) {
            self.session = session
            self.text = text
            self.kept = kept
        }
    }

    public struct Presence: Hashable, Sendable, Codable {
        public var session: Int
        public var status: Attendance

        public init(session: Int, status: Attendance) {
            self.session = session
            self.status = status
        }
    }

    public struct Score: Hashable, Sendable, Codable {
        public var session: Int
        public var instrument: String
        public var total: Double

        public init(session: Int, instrument: String, total: Double) {
            self.session = session
            self.instrument = instrument
            self.total = total
        }
    }

    public var member: AccountID
    public var goals: [GoalTrend]
    public var commitments: [Commitment]
    public var attendance: [Presence]
    public var scores: [Score]
    /// The questionnaire the open round asks, in full, so a client shows its own wording (a
    /// site's instruments included) and takes the answers item by item.
    public var instrument: Instrument?

    public init(
        member: AccountID, goals: [GoalTrend], commitments: [Commitment], attendance: [Presence], scores: [Score],
        instrument: Instrument? = nil
    ) {
        self.instrument = instrument
        self.member = member
        self.goals = goals
        self.commitments = commitments
        self.attendance = attendance
        self.scores = scores
    }
}

/// The facilitators' view of a room: each member's latest ratings, change, attendance, and the
/// "not on track" flags with the rule that raised each.
public struct Overview: Hashable, Sendable, Codable {
    public struct Flag: Hashable, Sendable, Codable {
        /// The rule's stable name: reliable_drop, cutoff, no_gain, absences, unkept.
        public var rule: String
        public var detail: String
    }

    public struct Line: Hashable, Sendable, Codable {
        public var member: AccountID
        public var name: String
        /// Mean progress over the latest check-in's ratings.
        public var latest: Double?
        /// Against the check-in before it, from an earlier session.
        public var change: Double?
        public var attended: Int
        public var sessions: Int
        public var flags: [Flag]
    }

    public var lines: [Line]
}
