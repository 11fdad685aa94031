import Testing

@testable import CircleCore

@Suite struct TextRulesTests {
    @Test func namesAreTrimmedAndBounded() throws {
        #expect(try TextRules.displayName("  Sam  ").get() == "Sam")
        #expect(try TextRules.displayName("Zoë 👩‍💻").get() == "Zoë 👩‍💻")
        #expect(throws: CircleError.self) { try TextRules.displayName("   ").get() }
        #expect(throws: CircleError.self) { try TextRules.displayName(String(repeating: "a", count: 41)).get() }
        #expect(throws: CircleError.self) { try TextRules.displayName("Sam\nKim").get() }
        #expect(throws: CircleError.self) { try TextRules.displayName("Sam\u{202E}miK").get() }
    }

    @Test func messagesKeepLayoutButNotControlCharacters() throws {
        #expect(try TextRules.message("line one\n\tline two").get() == "line one\n\tline two")
        #expect(throws: CircleError.self) { try TextRules.message(" \n ").get() }
        #expect(throws: CircleError.self) { try TextRules.message("bell\u{07}").get() }
        #expect(throws: CircleError.self) { try TextRules.message("\u{1B}[2J").get() }
        #expect(throws: CircleError.self) { try TextRules.message(String(repeating: "x", count: 4001)).get() }
        #expect(try TextRules.message(String(repeating: "界", count: 4000)).get().count == 4000)
    }

    @Test func clientIDsArePrintableASCII() {
        #expect((try? TextRules.clientID("abc-123").get()) == "abc-123")
        #expect((try? TextRules.clientID("").get()) == nil)
        #expect((try? TextRules.clientID("has space").get()) == nil)
        #expect((try? TextRules.clientID(String(repeating: "a", count: 65)).get()) == nil)
    }
}

/// The ASCII shortcut of `TextRules.message` answers as the general checks do.
@Suite struct TextRulesASCIITests {
    @Test func theASCIIFactsAgreeWithCharactersAndScalars() {
        var texts = ["", " ", "\r\n", "a\r\nb", "\r\r\n\n", "\t\n", "hi\u{7f}", "x\u{0}", "\u{b}\u{c}", "plain words"]
        for byte in 0..<128 { texts.append("a" + String(UnicodeScalar(UInt8(byte))) + "b") }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab \t\n\r\u{b}\u{c}\u{7f}\u{1}").map(String.init)
        for _ in 0..<2000 {
            texts.append(
                (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement()! }.joined())
        }
        for text in texts {
            let facts = TextRules.asciiFacts(text)
            #expect(facts?.hasText == text.contains(where: { !$0.isWhitespace }), "\(text.debugDescription)")
            #expect(facts?.characters == text.count, "\(text.debugDescription)")
            let control = text.unicodeScalars.contains { TextRules.isControl($0) && $0 != "\n" && $0 != "\t" }
            #expect(facts?.hasControl == control, "\(text.debugDescription)")
        }
        #expect(TextRules.asciiFacts("café") == nil)
    }

    /// The risk-phrase search looks only where words begin, through a table by first letter;
    /// on random messages it must find what a plain substring search of the folded text finds.
    @Test func asciiFoldingMatchesFoldingByScalars() {
        let alphabet = Array("aZ09'- .,!\n\t\u{7f}")
        for length in 0..<12 {
            for _ in 0..<200 {
                let text = String((0..<length).map { _ in alphabet.randomElement()! })
                #expect(
                    SafetySettings.foldedASCII(text) == SafetySettings.foldedByScalars(text), "\(text.debugDescription)"
                )
            }
        }
        #expect(SafetySettings.foldedASCII("é") == nil)
    }

    @Test func riskPhraseSearchAgreesWithAPlainSubstringSearch() {
        let safety = SafetySettings.standard
        let words = [
            "I", "kill", "myself", "Killing", "self", "harm", "self-harm", "want", "to", "die", "can’t", "can't",
            "go", "on", "suicide,", "SUICIDAL!", "overdose", "no", "reason", "live", "é", "week", "--", "...",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let count = Int.random(in: 0...8, using: &generator)
            let text = (0..<count).map { _ in words.randomElement(using: &generator)! }.joined(
                separator: [" ", "  ", ", ", "\n"].randomElement(using: &generator)!)
            let haystack = " " + SafetySettings.normalized(text) + " "
            let expected = safety.riskPhrases.first { haystack.contains(" " + SafetySettings.normalized($0) + " ") }
            #expect(safety.riskPhrase(in: text) == expected, "\(text)")
        }
    }
}
