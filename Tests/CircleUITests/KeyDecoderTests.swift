import CircleUI
import Testing

@Suite struct KeyDecoderTests {
    func keys(_ text: String) -> [Key] {
        var decoder = KeyDecoder()
        return decoder.feed(Array(text.utf8))
    }

    @Test func textControlsAndEnter() {
        #expect(keys("hi\r") == [.text("hi"), .enter])
        #expect(keys("\u{03}") == [.control("c")])
        #expect(keys("\u{17}\t\u{7F}") == [.control("w"), .tab, .backspace])
    }

    @Test func escapeSequencesFromXtermTmuxAndScreen() {
        #expect(keys("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D") == [.up, .down, .right, .left])
        #expect(keys("\u{1B}OA\u{1B}OH\u{1B}OF") == [.up, .home, .end])
        #expect(keys("\u{1B}[5~\u{1B}[6~\u{1B}[1~\u{1B}[4~\u{1B}[3~") == [.pageUp, .pageDown, .home, .end, .delete])
        #expect(keys("\u{1B}[1;5D\u{1B}[1;5C\u{1B}b\u{1B}f") == [.wordLeft, .wordRight, .wordLeft, .wordRight])
    }

    @Test func utf8SplitAcrossReadsIsReassembled() {
        var decoder = KeyDecoder()
        let bytes = Array("界🚶".utf8)
        var result: [Key] = []
        for byte in bytes { result += decoder.feed([byte]) }
        #expect(result.map { if case .text(let text) = $0 { return text } else { return "?" } }.joined() == "界🚶")
    }

    @Test func bracketedPasteArrivesWhole() {
        var decoder = KeyDecoder()
        var result = decoder.feed(Array("\u{1B}[200~line one\r\nline".utf8))
        #expect(result.isEmpty)
        result += decoder.feed(Array(" two\u{1B}[20".utf8))
        result += decoder.feed(Array("1~x".utf8))
        #expect(result == [.paste("line one\nline two"), .text("x")])
    }

    @Test func aLoneEscapeIsKnownAfterAPause() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]).isEmpty)
        #expect(decoder.flushEscape() == [.escape])
    }
}
