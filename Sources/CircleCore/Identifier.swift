/// A stable identifier, as stored and as sent on the wire: a string, typed by what it names so
/// that a room's id can never be passed where an account's is expected.
public struct Identifier<Tag>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The tags that tell identifiers apart; never instantiated.
public enum IdentifierTag {
    public enum Room {}
    public enum Account {}
    public enum Invite {}
    public enum Goal {}
}

/// A room's identifier.
public typealias RoomID = Identifier<IdentifierTag.Room>
/// An account's identifier.
public typealias AccountID = Identifier<IdentifierTag.Account>
/// An invite's identifier (never the code itself).
public typealias InviteID = Identifier<IdentifierTag.Invite>
/// A goal's identifier, personal or shared, unique within its room.
public typealias GoalID = Identifier<IdentifierTag.Goal>
