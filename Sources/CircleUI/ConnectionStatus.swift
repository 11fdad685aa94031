import CircleCore

/// The link to the server, as the status bar shows it.
public enum ConnectionStatus: Hashable, Sendable {
    case connecting
    case connected
    /// Waiting before the next attempt, which happens at `retryAt`.
    case reconnecting(retryAt: Timestamp, reason: String)
    /// Signed out by the server (a long time without activity, a revoked sign-in): the chat
    /// waits for the person, not for a timer.
    case signedOut
}
