/// Whether a message names you: your name as a whole word (or `@name`), in any case, so that
/// "Sam" is found in "thanks, sam!" but not in "Samantha" or "sesame".
public enum Mention {
    public static func of(_ name: String, in text: String) -> Bool {
        let name = name.lowercased()
        guard !name.isEmpty else { return false }
        let text = text.lowercased()
        var searched = text.startIndex
        while let found = text.range(of: name, range: searched..<text.endIndex) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            if !isWordCharacter(before) && !isWordCharacter(after) { return true }
            searched = text.index(after: found.lowerBound)
        }
        return false
    }

    private static func isWordCharacter(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character.isLetter || character.isNumber || character == "_"
    }
}
