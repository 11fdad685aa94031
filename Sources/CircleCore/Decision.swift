/// What the room decided to do with a command.
public enum Decision: Hashable, Sendable {
    /// Append these events, in order, to the log.
    case append([Event])
    /// The command repeats one already in the log (same sender, same client id): nothing new
    /// is stored, and the sender is told the original's sequence number.
    case duplicate(of: Int64)
}

extension Decision {
    /// The sequence number a reply reports: the request's own event (the first it appended; a
    /// message comes before any alert it raised), or the original's for a repeat.
    public var seq: Int64 {
        switch self {
        case .append(let events): return events.first?.seq ?? 0
        case .duplicate(let seq): return seq
        }
    }
}
