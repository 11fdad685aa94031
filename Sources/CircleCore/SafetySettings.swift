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

    public init(crisisText: String, riskPhrases: [String]) {
        self.crisisText = crisisText
        self.riskPhrases = riskPhrases.map { $0.lowercased() }.filter { !Self.normalized($0).isEmpty }
        patterns = self.riskPhrases.map { Array((" " + Self.normalized($0) + " ").utf8) }
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

    /// The first risk phrase the text contains, if any.
    public func riskPhrase(in text: String) -> String? {
        let folded = Array((" " + Self.normalized(text) + " ").utf8)
        for (index, pattern) in patterns.enumerated() where Self.occurs(pattern, in: folded) {
            return riskPhrases[index]
        }
        return nil
    }

    static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return false }
        var start = 0
        let last = haystack.count - needle.count
        while start <= last {
            if haystack[start] == first {
                var matched = 1
                while matched < needle.count && haystack[start + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            start += 1
        }
        return false
    }

    /// Lowercased, with punctuation turned into spaces and runs of spaces folded, so phrases
    /// match as whole words whatever surrounds them. ASCII, nearly all of any message, takes a
    /// fast path; other scalars are lowercased through the standard library.
    static func normalized(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
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
        if bytes.last == 0x20 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
