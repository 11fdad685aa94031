import CircleCore

/// One item in a room's message pane.
public enum TimelineEntry: Hashable, Sendable {
    case event(Event)
    /// Something the client says: an error from the server in plain words, help, a result.
    case notice(String, isError: Bool, at: Timestamp)
}

extension TimelineEntry {
    /// The event's sequence number; nil for a notice.
    public var seq: Int64? {
        if case .event(let event) = self { return event.seq }
        return nil
    }
}
