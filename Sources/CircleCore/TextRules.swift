/// The rules for text people type: names, room names and messages. Each check returns the
/// cleaned value or an error that says what was wrong.
public enum TextRules {
    /// Long enough for a first name and an initial, short enough for a status bar.
    public static let maxNameLength = 40
    public static let maxRoomNameLength = 80
    /// Several paragraphs; a check-in note fits comfortably.
    public static let maxMessageLength = 4000
    public static let maxTopicLength = 200
    public static let maxGoalLength = 300
    public static let maxClientIDLength = 64

    public static func displayName(_ raw: String) -> Result<String, CircleError> {
        singleLine(raw, field: "name", max: maxNameLength, code: .nameInvalid).flatMap { name in
            // Roles are shown by a mark the server puts there; a name may not bring its own.
            guard !NameKey.startsWithRoleMark(name) else {
                return .failure(
                    CircleError(
                        .nameInvalid,
                        "A name may not start with a mark such as @, % or +: those show roles. Choose another name."))
            }
            return .success(name)
        }
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
        if ascii?.hasControl ?? (forbidden(in: text, lines: true) != nil) {
            return .failure(refusal(of: text, field: "message", lines: true, code: .textInvalid))
        }
        return .success(text)
    }

    /// Several lines of text (agreements, say), checked by the rule every text field follows.
    public static func lines(_ text: String, field: String, max: Int) -> Result<String, CircleError> {
        guard text.contains(where: { !$0.isWhitespace }) else {
            return .failure(CircleError(.textInvalid, "The \(field) needs some text."))
        }
        guard text.count <= max else {
            return .failure(
                CircleError(.textInvalid, "The \(field) may be at most \(max) characters; it has \(text.count)."))
        }
        if forbidden(in: text, lines: true) != nil {
            return .failure(refusal(of: text, field: field, lines: true, code: .textInvalid))
        }
        return .success(text)
    }

    /// One line of text, trimmed: a topic, a goal, a round's prompt, a help note, a tag.
    /// `allowEmpty` for the fields where empty means "none" (a topic cleared).
    public static func line(
        _ raw: String, field: String, max: Int, code: ErrorCode = .textInvalid, allowEmpty: Bool = false
    ) -> Result<String, CircleError> {
        if allowEmpty && raw.trimmingWhitespace().isEmpty { return .success("") }
        return singleLine(raw, field: field, max: max, code: code)
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
        if forbidden(in: trimmed, lines: false) != nil {
            return .failure(refusal(of: trimmed, field: field, lines: false, code: code))
        }
        return .success(trimmed)
    }

    /// The error for text that holds a character no field may, naming the field and the
    /// character (as U+XXXX: printing it would be the very harm the rule prevents).
    static func refusal(of text: String, field: String, lines: Bool, code: ErrorCode) -> CircleError {
        guard let scalar = forbidden(in: text, lines: lines) else {
            return CircleError(code, "The \(field) may not contain control or invisible characters.")
        }
        if !lines && (scalar == "\n" || scalar == "\t" || scalar == "\r") {
            return CircleError(code, "The \(field) is one line, without line breaks or tabs.")
        }
        return CircleError(
            code, "The \(field) may not contain control or invisible characters; it has \(codePoint(scalar)).")
    }

    /// "U+001B": how a refused character is named.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex
    }

    /// The one rule for what no text a person fills may hold, for every field: the first
    /// character that breaks it, or nil. Refused are control characters (C0 but newline and
    /// tab where `lines` allows them, DEL, C1), line and paragraph separators, and every
    /// format character (Unicode's Cf: bidirectional overrides, zero-width spaces, U+FEFF…),
    /// which either rewrite a terminal or hide what a text really says. The only format
    /// characters kept are the ones emoji are built from: a zero-width joiner between two
    /// emoji, and the tag characters of a subdivision flag.
    public static func forbidden(in text: String, lines: Bool) -> Unicode.Scalar? {
        var previous: Unicode.Scalar?
        var iterator = text.unicodeScalars.makeIterator()
        var current = iterator.next()
        while let scalar = current {
            let next = iterator.next()
            if !allowed(scalar, after: previous, before: next, lines: lines) { return scalar }
            previous = scalar
            current = next
        }
        return nil
    }

    /// Whether a zero-width joiner between these two is part of an emoji (👩‍👩‍👧, ❤‍🔥), not a
    /// hiding place: the one rule for the server's check and the client's printing. Digits,
    /// `#` and `*` are emoji too (keycaps), so ASCII never counts.
    public static func joinsEmoji(after previous: Unicode.Scalar?, before next: Unicode.Scalar?) -> Bool {
        guard let previous, let next, !next.isASCII, next.properties.isEmoji else { return false }
        return previous == "\u{FE0F}" || (!previous.isASCII && previous.properties.isEmoji)
    }

    static func allowed(
        _ scalar: Unicode.Scalar, after previous: Unicode.Scalar?, before next: Unicode.Scalar?, lines: Bool
    ) -> Bool {
        if scalar.isASCII {
            if scalar == "\n" || scalar == "\t" { return lines }
            return scalar.value >= 0x20 && scalar.value != 0x7F
        }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator:
            return false
        case .format:
            if scalar == "\u{200D}" { return joinsEmoji(after: previous, before: next) }
            if (0xE0020...0xE007F).contains(scalar.value) {
                guard let previous else { return false }
                return previous == "\u{1F3F4}" || (0xE0020...0xE007E).contains(previous.value)
            }
            return false
        default:
            return true
        }
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
