import CircleCore

/// One line of an archive, by its `type`.
public enum ArchiveRecord: Hashable, Sendable {
    case header(ArchiveHeader)
    /// The room and its agreements as they stood at the archive's end.
    case room(ArchiveRoom)
    /// A member by pseudonymous id and display name.
    case member(Member)
    case goal(Goal)
    /// An event of the log, with its audience.
    case event(Event)
    /// One member's check-in in one session (both halves together).
    case checkIn(ArchiveCheckIn)
    /// A journal entry (member exports only).
    case journal(JournalEntry)
    case trailer(ArchiveTrailer)

    public var type: String {
        switch self {
        case .header: return "header"
        case .room: return "room"
        case .member: return "member"
        case .goal: return "goal"
        case .event: return "event"
        case .checkIn: return "check_in"
        case .journal: return "journal"
        case .trailer: return "trailer"
        }
    }
}

extension ArchiveRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case type, header, room, member, goal, event
        case checkIn = "check_in"
        case journal, trailer
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "header": self = .header(try container.decode(ArchiveHeader.self, forKey: .header))
        case "room": self = .room(try container.decode(ArchiveRoom.self, forKey: .room))
        case "member": self = .member(try container.decode(Member.self, forKey: .member))
        case "goal": self = .goal(try container.decode(Goal.self, forKey: .goal))
        case "event": self = .event(try container.decode(Event.self, forKey: .event))
        case "check_in": self = .checkIn(try container.decode(ArchiveCheckIn.self, forKey: .checkIn))
        case "journal": self = .journal(try container.decode(JournalEntry.self, forKey: .journal))
        case "trailer": self = .trailer(try container.decode(ArchiveTrailer.self, forKey: .trailer))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown record type '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .header(let value): try container.encode(value, forKey: .header)
        case .room(let value): try container.encode(value, forKey: .room)
        case .member(let value): try container.encode(value, forKey: .member)
        case .goal(let value): try container.encode(value, forKey: .goal)
        case .event(let value): try container.encode(value, forKey: .event)
        case .checkIn(let value): try container.encode(value, forKey: .checkIn)
        case .journal(let value): try container.encode(value, forKey: .journal)
        case .trailer(let value): try container.encode(value, forKey: .trailer)
        }
    }
}

/// The room as the archive's end found it.
public struct ArchiveRoom: Codable, Hashable, Sendable {
    public var id: RoomID
    public var name: String
    public var owner: AccountID?
    public var agreementsVersion: Int
    public var agreements: String
    public var topic: String

    enum CodingKeys: String, CodingKey {
        case id, name, owner, agreements, topic
        case agreementsVersion = "agreements_version"
    }

    public init(_ state: RoomState) {
        id = state.id
        name = state.name
        owner = state.owner
        agreementsVersion = state.agreementsVersion
        agreements = state.agreementsText
        topic = state.topic
    }
}

/// One member's check-in in one session.
public struct ArchiveCheckIn: Codable, Hashable, Sendable {
    public var member: AccountID
    public var session: Int
    public var at: Timestamp
    public var checkIn: CheckIn

    enum CodingKeys: String, CodingKey {
        case member, session, at
        case checkIn = "check_in"
    }

    public init(member: AccountID, session: Int, at: Timestamp, checkIn: CheckIn) {
        self.member = member
        self.session = session
        self.at = at
        self.checkIn = checkIn
    }
}

/// The last record: the counts again and the SHA-256 of every byte before this line.
public struct ArchiveTrailer: Codable, Hashable, Sendable {
    public var counts: ArchiveCounts
    public var sha256: String

    public init(counts: ArchiveCounts, sha256: String) {
        self.counts = counts
        self.sha256 = sha256
    }
}
