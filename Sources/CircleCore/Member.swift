/// A person's standing in one room.
public struct Member: Hashable, Sendable, Codable {
    public var id: AccountID
    public var name: String
    public var role: RoomRole
    public var joinedAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, name, role
        case joinedAt = "joined_at"
    }

    public init(id: AccountID, name: String, role: RoomRole, joinedAt: Timestamp) {
        self.id = id
        self.name = name
        self.role = role
        self.joinedAt = joinedAt
    }
}
