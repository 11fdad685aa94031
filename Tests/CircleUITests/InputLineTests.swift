import CircleClient
import CircleUI
import Foundation
import Testing

@Suite struct InputLineTests {
    func line(_ text: String) -> InputLine {
        var input = InputLine()
        input.insert(text)
        return input
    }

    @Test func historySurvivesARestartInAFileOnlyItsOwnerReads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = InputHistory.file(environment: ["XDG_CONFIG_HOME": folder.path])
        #expect(file.path == folder.path + "/circle/history.json")
        #expect(InputHistory.load(from: file).isEmpty)

        var first = InputLine()
        for line in ["hello", "/redeem K7QX2-9MDRA Sam", "two\nlines"] {
            first.insert(line)
            _ = first.submit()
        }
        try InputHistory.save(first.history, to: file)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let folderMode =
            try FileManager.default.attributesOfItem(atPath: file.deletingLastPathComponent().path)[.posixPermissions]
            as? Int
        #expect(folderMode == 0o700)

        // The next run's Up brings back what was sent, but never an invite code.
        var next = InputLine(history: InputHistory.load(from: file))
        next.historyUp()
        #expect(next.text == "two\nlines")
        next.historyUp()
        #expect(next.text == "hello")
        try Data("not json".utf8).write(to: file)
        #expect(InputHistory.load(from: file).isEmpty)
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
