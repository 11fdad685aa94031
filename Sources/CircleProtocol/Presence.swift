import CircleCore

/// Who came online or went offline in a room. Not part of the log: presence is ephemeral.
public struct Presence: Codable, Hashable, Sendable {
    public var room: RoomID
    public var member: AccountID
    public var name: String
    public var online: Bool

    public init(room: RoomID, member: AccountID, name: String, online: Bool) {
        self.room = room
        self.member = member
        self.name = name
        self.online = online
    }
}
