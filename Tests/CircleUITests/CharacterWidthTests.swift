import CircleUI
import Testing

@Suite struct CharacterWidthTests {
    @Test(arguments: [
        ("a", 1), ("é", 1), ("e\u{301}", 1), ("界", 2), ("한", 2), ("🚶", 2), ("👩‍💻", 2), ("🇫🇷", 2), ("❤️", 2),
        ("\u{200B}", 0), ("ｱ", 1), ("Ａ", 2),
    ])
    func widths(_ text: String, _ expected: Int) {
        #expect(
            CharacterWidth.of(Character(text)) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })"
        )
    }

    @Test func stringsAddUp() {
        #expect(CharacterWidth.of("Zoë 界 🚶") == 9)
    }
}

@Suite struct TextWrapTests {
    @Test func wrapsAtSpaces() {
        #expect(TextWrap.lines("the quick brown fox jumps", width: 10) == ["the quick", "brown fox", "jumps"])
    }

    @Test func cutsWordsLongerThanALine() {
        #expect(TextWrap.lines("abcdefghijkl", width: 5) == ["abcde", "fghij", "kl"])
    }

    @Test func neverSplitsAWideCharacter() {
        let lines = TextWrap.lines("界界界界界", width: 5)
        #expect(lines == ["界界", "界界", "界"])
        #expect(lines.allSatisfy { CharacterWidth.of($0) <= 5 })
        #expect(TextWrap.lines("ab👩‍💻cd", width: 3) == ["ab", "👩‍💻c", "d"])
    }

    @Test func keepsNewlinesAndEmptyLines() {
        #expect(TextWrap.lines("one\n\ntwo", width: 10) == ["one", "", "two"])
    }

    @Test func everyLineFits() {
        let text =
            "Hard week 🚶, but I kept my walk going three times. 界界界 accents: àéîõü, and a verylongwordwithoutspaces."
        for width in 2...30 {
            for line in TextWrap.lines(text, width: width) {
                #expect(CharacterWidth.of(line) <= max(width, 2), "width \(width): \(line)")
            }
        }
    }
}
