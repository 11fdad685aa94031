/// An invite as the room knows it: how often it may be redeemed and until when.
public struct Invite: Hashable, Sendable, Codable {
    public var id: InviteID
    public var uses: Int
    public var used: Int
    public var expiresAt: Timestamp?
    /// The role its holders join with.
    public var role: RoomRole

    public init(id: InviteID, uses: Int, used: Int = 0, expiresAt: Timestamp?, role: RoomRole = .participant) {
        self.id = id
        self.uses = uses
        self.used = used
        self.expiresAt = expiresAt
        self.role = role
    }
}
