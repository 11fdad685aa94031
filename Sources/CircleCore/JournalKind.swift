/// What a journal entry records.
public enum JournalKind: String, Hashable, Sendable, Codable, CaseIterable {
    case episode
    case trigger
    case helped = "what-helped"
    case win
    case note
}
