/// Wraps text to a width in columns: at spaces where it can, inside a word only when the word is
/// longer than a line, never inside a grapheme cluster; explicit newlines start new lines.
public enum TextWrap {
    public static func lines(_ text: String, width: Int) -> [String] {
        let width = max(width, 2)
        var result: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            result += wrap(Substring(paragraph), width: width)
        }
        return result
    }

    static func wrap(_ paragraph: Substring, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in words(paragraph) {
            var token = Substring(word)
            var tokenWidth = CharacterWidth.of(token)
            if lineWidth + tokenWidth <= width {
                line += token
                lineWidth += tokenWidth
                continue
            }
            if lineWidth > 0 {
                lines.append(line.trimmingTrailingSpaces())
                line = ""
                lineWidth = 0
                token = token.drop { $0 == " " }
                tokenWidth = CharacterWidth.of(token)
            }
            // A word longer than a line is cut at the edge, between grapheme clusters.
            while tokenWidth > width {
                var piece = ""
                var pieceWidth = 0
                while let next = token.first, pieceWidth + CharacterWidth.of(next) <= width || piece.isEmpty {
                    piece.append(next)
                    pieceWidth += CharacterWidth.of(next)
                    token.removeFirst()
                }
                lines.append(piece)
                tokenWidth -= pieceWidth
            }
            line = String(token)
            lineWidth = tokenWidth
        }
        lines.append(line)
        return lines
    }

    /// Splits into runs of spaces followed by a word, so a line breaks before the spaces.
    static func words(_ text: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        for character in text {
            if character == " " && inWord {
                words.append(current)
                current = ""
                inWord = false
            }
            if character != " " { inWord = true }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
