import CircleCore

/// A message typed but not yet acknowledged: shown as sending, and re-sent with the same client
/// id after a reconnect, so it is stored exactly once.
public struct PendingMessage: Hashable, Sendable {
    public var room: RoomID
    public var text: String
    public var clientID: String
    public var typedAt: Timestamp

    public init(room: RoomID, text: String, clientID: String, typedAt: Timestamp) {
        self.room = room
        self.text = text
        self.clientID = clientID
        self.typedAt = typedAt
    }
}
