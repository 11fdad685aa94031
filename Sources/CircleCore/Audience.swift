/// Who may see an event: delivery, history, resume and export all honour it.
public enum Audience: Hashable, Sendable, Codable, CustomStringConvertible {
    case room
    case facilitators
    case member(AccountID)

    /// Whether a member with `role` and identity `viewer` may see an event with this audience.
    public func admits(_ viewer: AccountID, role: RoomRole) -> Bool {
        switch self {
        case .room: return true
        case .facilitators: return role.isFacilitating
        case .member(let member): return member == viewer
        }
    }

    /// The wire and storage spelling: `room`, `facilitators` or `member:ID`.
    public var description: String {
        switch self {
        case .room: return "room"
        case .facilitators: return "facilitators"
        case .member(let id): return "member:\(id.rawValue)"
        }
    }

    public init?(_ text: String) {
        switch text {
        case "room": self = .room
        case "facilitators": self = .facilitators
        default:
            guard text.hasPrefix("member:"), text.count > 7 else { return nil }
            self = .member(AccountID(String(text.dropFirst(7))))
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let audience = Audience(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown audience '\(text)'")
        }
        self = audience
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
