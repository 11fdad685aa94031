/// Events being decided together, applied as they are added to a scratch copy of the room, so
/// each next event can be decided from the state the earlier ones leave.
struct EventBatch {
    var state: RoomState
    var events: [Event] = []

    init(_ state: RoomState) {
        self.state = state
    }

    mutating func add(_ body: EventBody, by actor: AccountID?, at now: Timestamp, audience: Audience = .room) {
        let event = Event(
            room: state.id, seq: state.lastSeq + 1, session: state.openSession, at: now, actor: actor,
            audience: audience, body: body)
        state.apply(event)
        events.append(event)
    }

    var decision: Decision { .append(events) }
}
