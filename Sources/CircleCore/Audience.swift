/// Who may see an event: delivery, history, resume and export all honour it.
public enum Audience: Hashable, Sendable, Codable, CustomStringConvertible {
    case room
    case facilitators
    case member(AccountID)
    /// A private thread between one member and the facilitators.
    case facilitatorsAnd(AccountID)
    /// A direct message between two members (kept in a canonical order; see `pair`).
    case members(AccountID, AccountID)

    /// The audience of a direct message between two members, whichever way it goes.
    public static func pair(_ one: AccountID, _ other: AccountID) -> Audience {
        one.rawValue <= other.rawValue ? .members(one, other) : .members(other, one)
    }

    /// Whether only some of the room may see it.
    public var isPrivate: Bool { self != .room }

    /// Whether a member with `role` and identity `viewer` may see an event with this audience.
    public func admits(_ viewer: AccountID, role: RoomRole) -> Bool {
        switch self {
        case .room: return true
        case .facilitators: return role.isFacilitating
        case .member(let member): return member == viewer
        case .facilitatorsAnd(let member): return member == viewer || role.isFacilitating
        case .members(let one, let other): return viewer == one || viewer == other
        }
    }

    /// The wire and storage spelling: `room`, `facilitators`, `member:ID`,
    /// `facilitators+member:ID` or `member:A+member:B`. The store filters on these strings.
    public var description: String {
        switch self {
        case .room: return "room"
        case .facilitators: return "facilitators"
        case .member(let id): return "member:\(id.rawValue)"
        case .facilitatorsAnd(let id): return "facilitators+member:\(id.rawValue)"
        case .members(let one, let other): return "member:\(one.rawValue)+member:\(other.rawValue)"
        }
    }

    public init?(_ text: String) {
        switch text {
        case "room": self = .room
        case "facilitators": self = .facilitators
        default:
            let parts = text.split(separator: "+", omittingEmptySubsequences: false)
            switch parts.count {
            case 1:
                guard let member = Self.member(parts[0]) else { return nil }
                self = .member(member)
            case 2 where parts[0] == "facilitators":
                guard let member = Self.member(parts[1]) else { return nil }
                self = .facilitatorsAnd(member)
            case 2:
                guard let one = Self.member(parts[0]), let other = Self.member(parts[1]), one != other else {
                    return nil
                }
                self = .pair(one, other)
            default:
                return nil
            }
        }
    }

    private static func member(_ part: Substring) -> AccountID? {
        guard part.hasPrefix("member:"), part.count > 7 else { return nil }
        return AccountID(String(part.dropFirst(7)))
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
