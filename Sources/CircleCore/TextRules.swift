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
        guard text.contains(where: { !$0.isWhitespace }) else {
            return .failure(CircleError(.textInvalid, "A message needs some text."))
        }
        guard text.count <= maxMessageLength else {
            return .failure(
                CircleError(
                    .textInvalid, "A message may be at most \(maxMessageLength) characters; this one has \(text.count)."
                ))
        }
        // Newlines and tabs are how people lay out a longer share; other control characters
        // would let one member rewrite others' terminals.
        if text.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\t" }) {
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
