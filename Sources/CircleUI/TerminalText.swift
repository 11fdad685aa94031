import CircleCore

/// Stored text as it may reach a terminal: every control and invisible format character made
/// visible, so nothing one member wrote (or an old row stored before the server refused such
/// text) can move the cursor, retitle a window, reorder a line or hide words.
public enum TerminalText {
    /// One line: newlines too are made visible (`^J`).
    public static func safe(_ text: String) -> String {
        escape(text, keepingNewlines: false)
    }

    /// Several lines: newlines stay, for callers that lay out or indent each line themselves.
    public static func safeLines(_ text: String) -> String {
        escape(text, keepingNewlines: true)
    }

    static func escape(_ text: String, keepingNewlines: Bool) -> String {
        // Nearly every text is printable ASCII; it should cost one pass over its bytes.
        if text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) || (keepingNewlines && $0 == 0x0A) }) { return text }
        // The screen escapes every message on every frame: accented and emoji text that needs
        // nothing is returned without building a copy.
        if !text.unicodeScalars.contains(where: { mayChange($0, keepingNewlines: keepingNewlines) }) { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        // Whether the previous scalar was kept as part of a flag's tag sequence (🏴 and tags):
        // a tag only stays when the chain from 🏴 to it stayed, so escaping twice changes nothing.
        var inFlag = false
        for (index, scalar) in scalars.enumerated() {
            let value = scalar.value
            let previous = index > 0 ? scalars[index - 1] : nil
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            let wasInFlag = inFlag
            inFlag = value == 0x1F3F4
            switch value {
            case 0x0A where keepingNewlines:
                out.append(scalar)
            case 0x0D where keepingNewlines && next?.value == 0x0A:
                // A CRLF line end is a line end, not a stray carriage return.
                break
            case 0x09:
                // The screen's width arithmetic counts every character; a tab's width depends on
                // the column it lands in.
                out.append(" ")
            case 0x00..<0x20:
                out.append("^")
                out.append(Unicode.Scalar(UInt8(value + 0x40)))
            case 0x7F:
                out.append(contentsOf: "^?".unicodeScalars)
            case 0xE0020...0xE007F where wasInFlag:
                out.append(scalar)
                inFlag = value != 0xE007F
            case 0x200D where TextRules.joinsEmoji(after: previous, before: next):
                out.append(scalar)
            case 0x80...0x9F, 0x2028, 0x2029:
                out.append(contentsOf: visible(value).unicodeScalars)
            default:
                if scalar.properties.generalCategory == .format {
                    out.append(contentsOf: visible(value).unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    /// Whether `scalar` could be replaced below: a superset of what is, cheap to test.
    static func mayChange(_ scalar: Unicode.Scalar, keepingNewlines: Bool) -> Bool {
        switch scalar.value {
        case 0x0A: return !keepingNewlines
        case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029: return true
        case 0x20..<0x7F: return false
        default: return scalar.properties.generalCategory == .format
        }
    }

    /// `<U+202E>`: the code point, so a reader can tell what was there.
    static func visible(_ value: UInt32) -> String {
        "<" + TextRules.codePoint(Unicode.Scalar(value) ?? "\u{FFFD}") + ">"
    }
}
