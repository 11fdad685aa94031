/// The rules for text people type: names, room names and messages. Each check returns the
/// cleaned value or an error that says what was wrong.
public enum TextRules {
    /// Long enough for a first name and an initial, short enough for a status bar.
    public static let maxNameLength = 40
    public static let maxRoomNameLength = 80
    /// Several paragraphs; a check-in note fits comfortably.
    public static let maxMessageLength = 4000
    public static let maxTopicLength = 200
    public static let maxClientIDLength = 64

    public static func displayName(_ raw: String) -> Result<String, CircleError> {
        singleLine(raw, field: "name", max: maxNameLength, code: .nameInvalid)
    }

    public static func roomName(_ raw: String) -> Result<String, CircleError> {
        singleLine(raw, field: "room name", max: maxRoomNameLength, code: .nameInvalid)
    }

    public static func message(_ text: String) -> Result<String, CircleError> {
        // Most messages are ASCII, where the checks below are plain byte tests; grapheme
        // breaking and Unicode properties were a visible share of the server's CPU per message.
        let ascii = asciiFacts(text)
        guard ascii?.hasText ?? text.contains(where: { !$0.isWhitespace }) else {
            return .failure(CircleError(.textInvalid, "A message needs some text."))
        }
        let count = ascii?.characters ?? text.count
        guard count <= maxMessageLength else {
            return .failure(
                CircleError(
                    .textInvalid, "A message may be at most \(maxMessageLength) characters; this one has \(count)."
                ))
        }
        // Newlines and tabs are how people lay out a longer share; other control characters
        // would let one member rewrite others' terminals.
        if ascii?.hasControl ?? text.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\t" }) {
            return .failure(CircleError(.textInvalid, "A message may not contain control characters."))
        }
        return .success(text)
    }

    public static func clientID(_ raw: String) -> Result<String, CircleError> {
        guard !raw.isEmpty, raw.utf8.count <= maxClientIDLength,
            raw.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F })
        else {
            return .failure(
                CircleError(.badField, "Field 'cid' must be 1 to \(maxClientIDLength) printable ASCII characters."))
        }
        return .success(raw)
    }

    static func singleLine(_ raw: String, field: String, max: Int, code: ErrorCode) -> Result<String, CircleError> {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            return .failure(CircleError(code, "The \(field) is empty."))
        }
        guard trimmed.count <= max else {
            return .failure(
                CircleError(code, "The \(field) may be at most \(max) characters; it has \(trimmed.count)."))
        }
        guard !trimmed.unicodeScalars.contains(where: isControl) else {
            return .failure(CircleError(code, "The \(field) may not contain line breaks or control characters."))
        }
        return .success(trimmed)
    }

    /// For ASCII text, what `message` asks, exactly as the general checks answer it: whether
    /// anything but whitespace is there, how many Characters (CR LF is one), and whether there
    /// is a control character other than newline and tab. Nil when the text is not ASCII.
    static func asciiFacts(_ text: String) -> (hasText: Bool, characters: Int, hasControl: Bool)? {
        var hasText = false
        var hasControl = false
        var pairs = 0
        var previous: UInt8 = 0
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            switch byte {
            case 0x20, 0x09...0x0D: break
            default: hasText = true
            }
            if (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F { hasControl = true }
            if byte == 0x0A && previous == 0x0D { pairs += 1 }
            previous = byte
        }
        return (hasText, text.utf8.count - pairs, hasControl)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default:
            // Bidirectional overrides can disguise one name as another. Other format
            // characters stay allowed: emoji sequences need the zero-width joiner.
            return (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
        }
    }
}

extension String {
    /// The string without leading and trailing whitespace (the core has no Foundation).
    public func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
