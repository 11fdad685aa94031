/// One of the group's shared goals: set by a facilitator, or proposed by a member and then
/// accepted or declined.
public struct SharedGoal: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        case proposed
        case active
        case declined
    }

    public var id: GoalID
    public var text: String
    public var proposedBy: AccountID?
    public var status: Status

    enum CodingKeys: String, CodingKey {
        case id, text, status
        case proposedBy = "proposed_by"
    }

    public init(id: GoalID, text: String, proposedBy: AccountID?, status: Status) {
        self.id = id
        self.text = text
        self.proposedBy = proposedBy
        self.status = status
    }
}
