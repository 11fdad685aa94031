/// A member's personal goal, with every earlier wording kept.
public struct Goal: Hashable, Sendable, Codable {
    public enum Horizon: String, Hashable, Sendable, Codable, CaseIterable {
        case short
        case long
    }

    /// Who may see it besides its member: the group, or the facilitators only.
    public enum Visibility: String, Hashable, Sendable, Codable, CaseIterable {
        case group
        case facilitators
    }

    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case active
        case achieved
        case paused
        case dropped
    }

    /// An earlier wording and why it changed.
    public struct Revision: Hashable, Sendable, Codable {
        public var at: Timestamp
        public var text: String
        public var reason: String

        public init(at: Timestamp, text: String, reason: String) {
            self.at = at
            self.text = text
            self.reason = reason
        }
    }

    public var id: GoalID
    public var member: AccountID
    public var text: String
    public var horizon: Horizon
    /// An optional target date, `YYYY-MM-DD`.
    public var target: String?
    public var visibility: Visibility
    public var status: Status
    public var history: [Revision]

    enum CodingKeys: String, CodingKey {
        case id, member, text, horizon, target, visibility, status, history
    }

    public init(
        id: GoalID, member: AccountID, text: String, horizon: Horizon, target: String?, visibility: Visibility,
        status: Status = .active, history: [Revision] = []
    ) {
        self.id = id
        self.member = member
        self.text = text
        self.horizon = horizon
        self.target = target
        self.visibility = visibility
        self.status = status
        self.history = history
    }

    /// The audience of events about this goal.
    public var audience: Audience {
        visibility == .group ? .room : .facilitatorsAnd(member)
    }
}
