import NIOCore

/// Where a connection's frames go, and how it ends: the wire's side of a connection, under the
/// handlers. The newline-JSON socket is one (`LineTransport`); `InProcessConnection` is another,
/// with no socket at all, so a test body runs through the same handlers in process and over TCP.
protocol Transport: AnyObject, Sendable {
    /// Sends frames in order; callable from any thread.
    func send(_ frame: ByteBuffer)
    func send(_ frames: [ByteBuffer])
    /// Sends a frame and returns once it is written: for pacing a long backlog.
    func sendAndWait(_ frame: ByteBuffer) async throws
    /// Sends a last frame, then closes.
    func close(after frame: ByteBuffer)
    /// Closes at once: for a reader that fell too far behind to be owed more.
    func abort()
    /// Whom per-address limits count this connection under; nil for none.
    var remoteAddress: SocketAddress? { get }
}
