import CircleCore

/// A facilitator's private note about one member of one room.
public struct NoteRecord: Hashable, Sendable {
    public var room: RoomID
    public var member: AccountID
    public var author: AccountID
    public var at: Timestamp
    public var text: String

    public init(room: RoomID, member: AccountID, author: AccountID, at: Timestamp, text: String) {
        self.room = room
        self.member = member
        self.author = author
        self.at = at
        self.text = text
    }
}
