/// Turns frames into the bytes that draw them, rewriting only rows that changed since the last
/// frame. ANSI/VT100 sequences only, which every terminal Circle targets understands.
public struct ScreenPainter: Sendable {
    public var colors: Bool
    private var previous: [StyledLine] = []

    public init(colors: Bool) {
        self.colors = colors
    }

    /// Forgets what is on screen, so the next paint redraws everything (after a resize).
    public mutating func reset() {
        previous = []
    }

    public mutating func paint(_ frame: ScreenRenderer.Frame) -> String {
        var out = "\u{1B}[?25l"
        if previous.count != frame.lines.count { out += "\u{1B}[2J" }
        for (row, line) in frame.lines.enumerated() where row >= previous.count || previous[row] != line {
            out += "\u{1B}[\(row + 1);1H" + encode(line) + "\u{1B}[0m\u{1B}[K"
        }
        previous = frame.lines
        out += "\u{1B}[\(frame.cursor.row + 1);\(frame.cursor.column + 1)H\u{1B}[?25h"
        return out
    }

    func encode(_ line: StyledLine) -> String {
        var out = ""
        for span in line.spans {
            var codes = ["0"]
            if span.style.bold { codes.append("1") }
            if span.style.dim { codes.append("2") }
            if span.style.reverse { codes.append("7") }
            if colors, let color = span.style.color { codes.append(String(color.rawValue)) }
            // The one door to the terminal: whatever a span holds, only the painter's own
            // sequences arrive as control bytes.
            out += "\u{1B}[" + codes.joined(separator: ";") + "m" + TerminalText.safe(span.text)
        }
        return out
    }
}
