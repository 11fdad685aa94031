import CircleCore

/// The line being typed: editing, a cursor, and the history of what was sent. Pure, so every
/// key's effect is unit-tested without a terminal.
public struct InputLine: Hashable, Sendable {
    public private(set) var characters: [Character] = []
    /// Position of the cursor, 0...characters.count.
    public private(set) var cursor = 0
    /// What was sent, oldest first, for Up and Down (and to be saved across restarts).
    public private(set) var history: [String] = []
    /// Where Up/Down is in the history; nil while editing a new line.
    private var historyIndex: Int?
    private var draft: [Character] = []

    /// `history`: lines sent before, oldest first (from an earlier run).
    public init(history: [String] = []) {
        self.history = Array(history.suffix(Self.historyLimit))
    }

    static let historyLimit = 500

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    public mutating func insert(_ text: String) {
        characters.insert(contentsOf: Array(text), at: cursor)
        cursor += text.count
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(characters.count, cursor + 1) }
    public mutating func home() { cursor = 0 }
    public mutating func end() { cursor = characters.count }

    public mutating func wordLeft() {
        while cursor > 0 && characters[cursor - 1].isWhitespace { cursor -= 1 }
        while cursor > 0 && !characters[cursor - 1].isWhitespace { cursor -= 1 }
    }

    public mutating func wordRight() {
        while cursor < characters.count && characters[cursor].isWhitespace { cursor += 1 }
        while cursor < characters.count && !characters[cursor].isWhitespace { cursor += 1 }
    }

    /// Ctrl-W: deletes the word before the cursor and the spaces after it.
    public mutating func deleteWordBack() {
        let end = cursor
        wordLeft()
        characters.removeSubrange(cursor..<end)
    }

    /// Ctrl-U.
    public mutating func deleteToStart() {
        characters.removeSubrange(0..<cursor)
        cursor = 0
    }

    /// Ctrl-K.
    public mutating func deleteToEnd() {
        characters.removeSubrange(cursor...)
    }

    /// Replaces the word before the cursor (for completion).
    public mutating func replaceWordBeforeCursor(with replacement: String) {
        let end = cursor
        var start = cursor
        while start > 0 && !characters[start - 1].isWhitespace { start -= 1 }
        characters.replaceSubrange(start..<end, with: Array(replacement))
        cursor = start + replacement.count
    }

    /// The word the cursor is at the end of, and whether it is the line's first word.
    public var wordBeforeCursor: (word: String, isFirst: Bool) {
        var start = cursor
        while start > 0 && !characters[start - 1].isWhitespace { start -= 1 }
        let isFirst = !characters[..<start].contains { !$0.isWhitespace }
        return (String(characters[start..<cursor]), isFirst)
    }

    /// Empties the line without remembering it.
    public mutating func clear() {
        characters = []
        cursor = 0
        historyIndex = nil
    }

    /// Enter: returns the line, clears it and remembers it (once, if not blank).
    public mutating func submit() -> String {
        let line = text
        if !line.trimmingWhitespace().isEmpty && history.last != line { history.append(line) }
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
        characters = []
        cursor = 0
        historyIndex = nil
        return line
    }

    public mutating func historyUp() {
        guard !history.isEmpty else { return }
        if historyIndex == nil {
            draft = characters
            historyIndex = history.count
        }
        guard let index = historyIndex, index > 0 else { return }
        historyIndex = index - 1
        characters = Array(history[index - 1])
        cursor = characters.count
    }

    public mutating func historyDown() {
        guard let index = historyIndex else { return }
        if index + 1 < history.count {
            historyIndex = index + 1
            characters = Array(history[index + 1])
        } else {
            historyIndex = nil
            characters = draft
        }
        cursor = characters.count
    }

    /// What fits in `width` columns with the cursor visible: the text to draw and the column of
    /// the cursor in it. Newlines (from a paste) show as ↵.
    public func visible(width: Int) -> (text: String, cursorColumn: Int) {
        let width = max(width, 2)
        let shown = characters.map { $0 == "\n" ? "↵" : $0 }
        let widths = shown.map(CharacterWidth.of)
        // Scroll so the cursor sits inside the window, keeping as much before it as fits.
        var start = 0
        var beforeCursor = widths[0..<cursor].reduce(0, +)
        while beforeCursor >= width {
            beforeCursor -= widths[start]
            start += 1
        }
        var text = ""
        var used = 0
        var index = start
        while index < shown.count && used + widths[index] <= width {
            text.append(shown[index])
            used += widths[index]
            index += 1
        }
        return (text, beforeCursor)
    }
}
