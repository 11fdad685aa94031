import CircleCore
import Testing

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
