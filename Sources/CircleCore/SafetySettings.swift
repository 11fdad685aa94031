/// What the site says to a member in crisis, and the phrases that alert the facilitators.
/// Both are the operator's to replace; the defaults are a sensible start, not a clinical tool.
public struct SafetySettings: Hashable, Sendable {
    /// Shown only to the member whose message matched.
    public var crisisText: String
    /// Matched case-insensitively, as whole words, against every message.
    public var riskPhrases: [String]

    public init(crisisText: String, riskPhrases: [String]) {
        self.crisisText = crisisText
        self.riskPhrases = riskPhrases.map { $0.lowercased() }.filter { !$0.isEmpty }
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
        let folded = " " + Self.normalized(text) + " "
        return riskPhrases.first { folded.contains(" " + Self.normalized($0) + " ") }
    }

    /// Lowercased, with punctuation turned into spaces and runs of spaces folded, so phrases
    /// match as whole words whatever surrounds them.
    static func normalized(_ text: String) -> String {
        var result = ""
        var lastWasSpace = true
        for character in text.lowercased() {
            let keep =
                character.isLetter || character.isNumber || character == "'" || character == "’"
                || character == "-"
            if keep {
                result.append(character == "’" ? "'" : character)
                lastWasSpace = false
            } else if !lastWasSpace {
                result.append(" ")
                lastWasSpace = true
            }
        }
        return result.trimmingWhitespace()
    }
}
