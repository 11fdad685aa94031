/// A key press (or a paste) as the UI understands it.
public enum Key: Hashable, Sendable {
    case text(String)
    case paste(String)
    case enter, tab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case wordLeft, wordRight
    /// Ctrl with a letter, lowercased: `.control("c")`.
    case control(Character)
}
