/// One screen row: runs of styled text, at most as wide as the screen.
public struct StyledLine: Hashable, Sendable {
    public struct Span: Hashable, Sendable {
        public var text: String
        public var style: Style

        public init(_ text: String, _ style: Style = .plain) {
            self.text = text
            self.style = style
        }
    }

    public var spans: [Span]

    public init(_ spans: [Span] = []) {
        self.spans = spans
    }

    public init(_ text: String, _ style: Style = .plain) {
        spans = [Span(text, style)]
    }

    /// The text without styles, as a person reading the screen sees it.
    public var text: String { spans.map(\.text).joined() }

    public var width: Int { CharacterWidth.of(text) }

    /// Cut to `width` columns, never splitting a wide character.
    public func truncated(to width: Int) -> StyledLine {
        var result: [Span] = []
        var used = 0
        for span in spans {
            var text = ""
            for character in span.text {
                let characterWidth = CharacterWidth.of(character)
                if used + characterWidth > width { break }
                text.append(character)
                used += characterWidth
            }
            if !text.isEmpty { result.append(Span(text, span.style)) }
            if used >= width { break }
        }
        return StyledLine(result)
    }

    /// Pads with spaces in `style` to exactly `width` columns (for bars).
    public func padded(to width: Int, style: Style = .plain) -> StyledLine {
        let cut = truncated(to: width)
        let missing = width - cut.width
        guard missing > 0 else { return cut }
        return StyledLine(cut.spans + [Span(String(repeating: " ", count: missing), style)])
    }
}
