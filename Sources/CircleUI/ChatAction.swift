import CircleCore

/// What a key press asks the app to do beyond changing the screen.
public enum ChatAction: Hashable, Sendable {
    /// A line was entered: a slash command or text to say.
    case submit(String)
    /// The view reached the oldest loaded event: fetch the page before it.
    case loadOlder(RoomID, before: Int64)
    case quit
}
