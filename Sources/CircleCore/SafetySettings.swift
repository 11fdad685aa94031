/// What the site says to a member in crisis, and the phrases that alert the facilitators.
/// Both are the operator's to replace; the defaults are a sensible start, not a clinical tool.
public struct SafetySettings: Hashable, Sendable {
    /// Shown only to the member whose message matched.
    public var crisisText: String
    /// Matched case-insensitively, as whole words, against every message.
    public private(set) var riskPhrases: [String]
    /// Each phrase normalised once, as bytes with a space either side, for a plain byte search
    /// on every message (the standard library's generic substring search is far slower).
    private var patterns: [[UInt8]]
    /// For each byte, the phrases that begin with it. A phrase starts only after a space, so each
    /// word of a message is compared with the few phrases sharing its first letter, not all.
    private var byFirstByte: [[Int]]

    public init(crisisText: String, riskPhrases: [String]) {
        self.crisisText = crisisText
        self.riskPhrases = riskPhrases.map { $0.lowercased() }.filter { !Self.normalized($0).isEmpty }
        patterns = self.riskPhrases.map { Self.folded($0) }
        byFirstByte = Array(repeating: [], count: 256)
        for (index, pattern) in patterns.enumerated() { byFirstByte[Int(pattern[1])].append(index) }
    }

    public static let standard = SafetySettings(
        crisisText: """
            You are not alone, and your facilitators have been told. Circle is not a crisis service: \
            if you might act on thoughts of harming yourself, or you are in danger, call your local \
            emergency number now. In the US, call or text 988 (Suicide & Crisis Lifeline).
            """,
        riskPhrases: [
            "kill myself", "killing myself", "end my life", "ending my life", "suicide", "suicidal",
            "want to die", "better off dead", "hurt myself", "hurting myself", "self harm", "self-harm",
            "overdose", "no reason to live", "can't go on", "cannot go on",
        ])

    /// The first risk phrase (in the list's order) the text contains, if any.
    public func riskPhrase(in text: String) -> String? {
        let folded = Self.folded(text)
        var found = Int.max
        folded.withUnsafeBufferPointer { haystack in
            for start in 0..<max(0, haystack.count - 1) where haystack[start] == 0x20 {
                for index in byFirstByte[Int(haystack[start + 1])]
                where index < found && Self.occurs(patterns[index], in: haystack, at: start) {
                    found = index
                }
            }
        }
        return found == .max ? nil : riskPhrases[found]
    }

    static func occurs(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + needle.count <= haystack.count else { return false }
        for offset in 1..<needle.count where haystack[start + offset] != needle[offset] { return false }
        return true
    }

    /// Lowercased, with punctuation turned into spaces and runs of spaces folded, so phrases
    /// match as whole words whatever surrounds them. ASCII, nearly all of any message, takes a
    /// fast path; other scalars are lowercased through the standard library.
    static func normalized(_ text: String) -> String {
        String(decoding: folded(text).dropFirst().dropLast(), as: UTF8.self)
    }

    /// `folded` by bytes for text that is all ASCII (nearly every message), or nil.
    static func foldedASCII(_ text: String) -> [UInt8]? {
        text.utf8.withContiguousStorageIfAvailable { utf8 -> [UInt8]? in
            var bytes = [UInt8](repeating: 0x20, count: utf8.count + 2)
            var count = 1
            var lastWasSpace = true
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    bytes[count] = byte + 32
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "'"), UInt8(ascii: "-"):
                    bytes[count] = byte
                case 0x80...:
                    return nil
                default:
                    if !lastWasSpace {
                        count += 1
                        lastWasSpace = true
                    }
                    continue
                }
                count += 1
                lastWasSpace = false
            }
            // The buffer is spaces already: one more closes the text unless it ended on one.
            bytes.removeSubrange((lastWasSpace ? count : count + 1)...)
            return bytes
        } ?? nil
    }

    /// The normalised text as bytes with one space either side (a lone space when empty).
    static func folded(_ text: String) -> [UInt8] {
        foldedASCII(text) ?? foldedByScalars(text)
    }

    static func foldedByScalars(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [0x20]
        bytes.reserveCapacity(text.utf8.count + 2)
        var lastWasSpace = true
        func space() {
            if !lastWasSpace {
                bytes.append(0x20)
                lastWasSpace = true
            }
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                let byte = UInt8(value)
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "'"), UInt8(ascii: "-"):
                    bytes.append(byte)
                default:
                    space()
                    continue
                }
                lastWasSpace = false
            } else if value == 0x2019 {
                bytes.append(UInt8(ascii: "'"))
                lastWasSpace = false
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                bytes.append(contentsOf: String(scalar).lowercased().utf8)
                lastWasSpace = false
            } else {
                space()
            }
        }
        if bytes.last != 0x20 { bytes.append(0x20) }
        return bytes
    }
}
