/// What the room decided to do with a command.
public enum Decision: Hashable, Sendable {
    /// Append these events, in order, to the log.
    case append([Event])
    /// The command repeats one already in the log (same sender, same client id): nothing new
    /// is stored, and the sender is told the original's sequence number.
    case duplicate(of: Int64)
}
