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

    /// One rule for every field: what could rewrite a terminal or hide what a text says is
    /// refused, named by its code point; emoji keep the joiners and tags they are built from.
    @Test func everyFieldRefusesControlAndInvisibleCharacters() throws {
        let hostile: [Unicode.Scalar] = [
            "\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9B}", "\u{2028}", "\u{2029}", "\u{202E}",
            "\u{2066}", "\u{200B}", "\u{200E}", "\u{FEFF}", "\u{00AD}", "\u{2060}", "\u{E0041}",
        ]
        for scalar in hostile {
            let text = "a\(Character(scalar))b"
            for result in [
                TextRules.message(text), TextRules.displayName(text), TextRules.roomName(text),
                TextRules.line(text, field: "topic", max: 200), TextRules.lines(text, field: "agreements", max: 99),
                Agreements.validated(text),
            ] {
                guard case .failure(let error) = result else {
                    Issue.record("\(TextRules.codePoint(scalar)) was accepted")
                    continue
                }
                #expect(error.message.contains(TextRules.codePoint(scalar)), "\(error.message)")
            }
            #expect(throws: CircleError.self) {
                try JournalEntry.validated(text: "fine", tags: [text], mood: nil).get()
            }
        }
        for emoji in ["👩‍👩‍👧", "🏳️‍🌈", "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}", "Max 🌱", "1️⃣"] {
            #expect(try TextRules.displayName(emoji).get() == emoji)
            #expect(try TextRules.message(emoji).get() == emoji)
        }
        // One line means one line: no breaks or tabs in names, topics, prompts, tags.
        let oneLine = TextRules.line("a\tb", field: "topic", max: 200)
        #expect(throws: CircleError.self) { try oneLine.get() }
        if case .failure(let error) = TextRules.line("a\nb", field: "topic", max: 200) {
            #expect(error.message == "The topic is one line, without line breaks or tabs.")
        }
        #expect(try TextRules.line("  ", field: "topic", max: 200, allowEmpty: true).get() == "")
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
            let control = TextRules.forbidden(in: text, lines: true) != nil
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
