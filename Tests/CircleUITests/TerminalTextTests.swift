import CircleClient
import CircleCore
import CircleUI
import Foundation
import Testing

@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("\u{1B}[2J", "^[[2J"), ("\u{07}", "^G"), ("\u{00}", "^@"), ("\u{7F}", "^?"), ("a\rb", "a^Mb"),
        ("\u{9B}31m", "<U+009B>31m"), ("\u{85}", "<U+0085>"), ("abc\u{202E}fed", "abc<U+202E>fed"),
        ("\u{2066}x\u{2069}", "<U+2066>x<U+2069>"), ("pass\u{200B}word", "pass<U+200B>word"),
        ("\u{FEFF}hi", "<U+FEFF>hi"), ("soft\u{AD}hyphen", "soft<U+00AD>hyphen"), ("a\u{2028}b", "a<U+2028>b"),
        ("a\u{200D}b", "a<U+200D>b"), ("x\u{E0041}", "x<U+E0041>"), ("one\ntwo", "one^Jtwo"),
    ])
    func controlsAndInvisiblesBecomeVisible(_ text: String, _ expected: String) {
        #expect(TerminalText.safe(text) == expected)
        #expect(TerminalText.safe(expected) == expected)
    }

    @Test(arguments: [
        "👩‍👩‍👧", "🏳️‍🌈", "👩🏽‍💻", "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}", "café 界 🇫🇷", "e\u{301}",
    ])
    func emojiSequencesAndOrdinaryTextStay(_ text: String) {
        #expect(TerminalText.safe(text) == text)
    }

    @Test func aTagOutsideAFlagIsShownEvenAfterOtherTags() {
        // A chain of tags hides text ("ASCII smuggling") unless it is a flag from 🏴 to its end.
        #expect(TerminalText.safe("a\u{E0041}\u{E0042}") == "a<U+E0041><U+E0042>")
        #expect(TerminalText.safe("🏴\u{E0067}\u{E007F}\u{E0041}") == "🏴\u{E0067}\u{E007F}<U+E0041>")
    }

    @Test func aTabBecomesOneSpace() {
        #expect(TerminalText.safe("a\tb") == "a b")
        #expect(TerminalText.safeLines("a\tb\nc") == "a b\nc")
    }

    @Test func plainASCIIIsUnchanged() {
        let text = "Hello, everyone! It's 12:00 ~ [ok] {fine} |100%|"
        #expect(TerminalText.safe(text) == text)
        #expect(TerminalText.safeLines("one\n\ntwo") == "one\n\ntwo")
    }

    @Test func linesKeepTheirBreaksButNothingElse() {
        #expect(TerminalText.safeLines("one\r\ntwo\u{1B}[A") == "one\ntwo^[[A")
        #expect(TerminalText.safeLines("a\u{2029}b") == "a<U+2029>b")
    }

    static let sam = Member(
        id: AccountID("u-sam"), name: "Sam", role: .participant, joinedAt: Timestamp(milliseconds: 0))

    static func said(_ seq: Int64, _ text: String) -> Event {
        Event(
            room: RoomID("r-1"), seq: seq, session: 2, at: Timestamp(milliseconds: 12 * 3600 * 1000), actor: sam.id,
            audience: .room, body: .message(text: text, clientID: nil))
    }

    @Test func aStoredMessageCannotRetitleTheTerminalOrReorderALine() {
        let text = EventText(members: [Self.sam], timeZone: TimeZone(secondsFromGMT: 0)!)
        let line = text.line(Self.said(1, "hi \u{1B}]0;pwned\u{07} \u{202E}evil"), showRoom: false)
        #expect(line == "#1 12:00 Sam: hi ^[]0;pwned^G <U+202E>evil")
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    @Test func aMultiLineMessageIndentsItsLaterLinesUnderItsAuthor() {
        let text = EventText(members: [Self.sam], timeZone: TimeZone(secondsFromGMT: 0)!)
        let line = text.line(Self.said(2, "first\n#3 12:01 Dana: forged\n\nlast"), showRoom: false)
        let rows = line.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let indent = String(repeating: " ", count: 11)
        #expect(rows == ["#2 12:00 Sam: first", "\(indent)#3 12:01 Dana: forged", "\(indent)", "\(indent)last"])
        #expect(rows.dropFirst().allSatisfy { $0.first == " " })
    }
}
