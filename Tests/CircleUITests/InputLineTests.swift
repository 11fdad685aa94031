import CircleUI
import Testing

@Suite struct InputLineTests {
    func line(_ text: String) -> InputLine {
        var input = InputLine()
        input.insert(text)
        return input
    }

    @Test func editsAtTheCursor() {
        var input = line("helo")
        input.left()
        input.insert("l")
        #expect(input.text == "hello")
        input.home()
        input.deleteForward()
        #expect(input.text == "ello")
        input.end()
        input.backspace()
        #expect(input.text == "ell")
        #expect(input.cursor == 3)
    }

    @Test func wordMovementAndDeletion() {
        var input = line("one two  three")
        input.deleteWordBack()
        #expect(input.text == "one two  ")
        input.wordLeft()
        #expect(input.cursor == 4)
        input.wordRight()
        #expect(input.cursor == 7)
        input.deleteToStart()
        #expect(input.text == "  ")
        input.insert("x")
        input.home()
        input.deleteToEnd()
        #expect(input.text.isEmpty)
    }

    @Test func handlesGraphemeClustersAsOneCharacter() {
        var input = line("a👩‍💻e\u{301}")
        #expect(input.characters.count == 3)
        input.backspace()
        input.backspace()
        #expect(input.text == "a")
    }

    @Test func historyRecallsWhatWasSentAndKeepsTheDraft() {
        var input = line("first")
        _ = input.submit()
        input.insert("second")
        _ = input.submit()
        input.insert("draft")
        input.historyUp()
        #expect(input.text == "second")
        input.historyUp()
        #expect(input.text == "first")
        input.historyUp()
        #expect(input.text == "first")
        input.historyDown()
        input.historyDown()
        #expect(input.text == "draft")
    }

    @Test func aLongLineScrollsToKeepTheCursorVisible() {
        let input = line(String(repeating: "a", count: 100))
        let (text, column) = input.visible(width: 20)
        #expect(CharacterWidth.of(text) <= 20)
        #expect(column == 19)
        var start = input
        start.home()
        #expect(start.visible(width: 20).cursorColumn == 0)
        #expect(start.visible(width: 20).text == String(repeating: "a", count: 20))
    }

    @Test func wideCharactersCountTwoColumnsForTheCursor() {
        let input = line("界界x")
        #expect(input.visible(width: 20).cursorColumn == 5)
        #expect(line("a\nb").visible(width: 10).text == "a↵b")
    }
}
