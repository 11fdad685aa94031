import CircleCore

/// One item in a room's message pane.
public enum TimelineEntry: Hashable, Sendable {
    case event(Event)
    /// Something the client says: an error from the server in plain words, help, a result.
    case notice(String, isError: Bool, at: Timestamp)
}

extension TimelineEntry {
    /// When it happened (an event) or was said (a notice).
    public var at: Timestamp {
        switch self {
        case .event(let event): event.at
        case .notice(_, _, let at): at
        }
    }

    /// The event's sequence number; nil for a notice.
    public var seq: Int64? {
        if case .event(let event) = self { return event.seq }
        return nil
    }
}
