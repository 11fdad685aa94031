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

extension SharedGoal {
    /// The shared goals' part of the room's fold, for the server's state and a client's view.
    public static func apply(_ event: Event, to goals: inout [SharedGoal]) {
        switch event.body {
        case .sharedGoalAdded(let id, let text):
            goals.append(SharedGoal(id: id, text: text, proposedBy: nil, status: .active))
        case .sharedGoalProposed(let id, let text):
            goals.append(SharedGoal(id: id, text: text, proposedBy: event.actor, status: .proposed))
        case .sharedGoalDecided(let id, let accepted, _):
            if let index = goals.firstIndex(where: { $0.id == id }) {
                goals[index].status = accepted ? .active : .declined
            }
        default:
            break
        }
    }
}
