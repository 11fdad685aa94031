import CircleCore

/// One item in a room's message pane.
public enum TimelineEntry: Hashable, Sendable {
    case event(Event)
    /// Something the client says: an error from the server in plain words, help, a result.
    case notice(String, isError: Bool, at: Timestamp)
}
