/// What happens to members' chat while a round runs (facilitators may always speak).
public enum CrossTalk: String, Hashable, Sendable, Codable, CaseIterable {
    /// Only the member whose turn it is speaks; others are refused (the default).
    case refused
    /// Anyone may speak during a round.
    case allowed
}
