import CircleProtocol
import Testing

/// IRC lines as clients send them and as they must be written back.
@Suite struct IRCMessageTests {
    @Test func aLineWithTagsSourceAndTrailingParameterIsParsed() throws {
        let message = try #require(
            IRCMessage.parse(
                "@time=2026-12-03T17:00:00.000Z;msgid=r-1-7;+draft/x :Sam!u@h privmsg #r-1 :Hello there\r\n"))
        #expect(message.tag("time") == "2026-12-03T17:00:00.000Z")
        #expect(message.tag("msgid") == "r-1-7")
        #expect(message.tag("+draft/x") == "")
        #expect(message.source == "Sam!u@h")
        #expect(message.command == "PRIVMSG")
        #expect(message.parameters == ["#r-1", "Hello there"])
    }

    @Test func parametersWithoutATrailingColonAndExtraSpacesAreSplit() throws {
        let message = try #require(IRCMessage.parse("USER  sam 0   * Sam"))
        #expect(message.parameters == ["sam", "0", "*", "Sam"])
        #expect(IRCMessage.parse("") == nil)
        #expect(IRCMessage.parse("@a=b ") == nil)
    }

    @Test func aWrittenLineReadsBackTheSameAndCannotBreakIntoTwo() throws {
        let message = IRCMessage(
            tags: [("time", "2026-12-03T17:00:00.000Z"), ("note", "a; b\\c")], source: "circle.local", "NOTICE",
            ["#r-1", "line one\r\nline two"])
        #expect(!message.line.contains("\n") && !message.line.contains("\r"))
        let read = try #require(IRCMessage.parse(message.line))
        #expect(read.tag("note") == "a; b\\c")
        #expect(read.parameters == ["#r-1", "line one line two"])
        // A last parameter that is empty or starts with ':' is still one parameter.
        #expect(IRCMessage("PRIVMSG", ["#r", ""]).line == "PRIVMSG #r :")
        #expect(IRCMessage.parse(IRCMessage("PRIVMSG", ["#r", ":)"]).line)?.parameters == ["#r", ":)"])
        // A middle parameter can never carry a space, which would shift the others.
        #expect(IRCMessage.parse(IRCMessage("353", ["Sam", "=", "#r", "@Dana Sam"]).line)?.parameters.count == 4)
    }
}
