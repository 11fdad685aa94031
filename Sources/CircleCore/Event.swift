/// One entry of a room's log: the unit of storage, delivery, replay and export.
public struct Event: Hashable, Sendable {
    public var room: RoomID
    /// Position in the room's log: 1, 2, 3… with no gaps.
    public var seq: Int64
    /// The weekly session it happened in, if one was open.
    public var session: Int?
    public var at: Timestamp
    /// Who caused it; nil for the server itself.
    public var actor: AccountID?
    public var audience: Audience
    public var body: EventBody

    public init(
        room: RoomID, seq: Int64, session: Int?, at: Timestamp, actor: AccountID?, audience: Audience,
        body: EventBody
    ) {
        self.room = room
        self.seq = seq
        self.session = session
        self.at = at
        self.actor = actor
        self.audience = audience
        self.body = body
    }

    /// The sender's idempotency key, for messages that carried one.
    public var clientID: String? {
        if case .message(_, let clientID) = body { return clientID }
        return nil
    }
}
