/// Why the byte stream could not be cut into frames. Each of these ends the connection, because
/// the reader no longer knows where the next frame starts.
public enum FrameError: Error, Hashable, Sendable {
    /// A line grew past the limit before its newline arrived.
    case tooLarge(limit: Int)
}
