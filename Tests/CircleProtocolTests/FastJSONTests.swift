import CircleCore
import Foundation
import NIOCore
import Testing

@testable import CircleProtocol

/// The hand-written JSON of the hot path against Foundation's coders: the same bytes out, the
/// same requests in.
@Suite struct FastJSONTests {
    /// Every ASCII byte, quotes, backslashes, slashes, and text beyond ASCII.
    static let texts: [String] = {
        var texts = [
            "", "Hello, everyone.", "\"quoted\" and \\back\\slashed\\", "a/b</script>", "é, ß, 漢字, 🙂, 👩🏽‍🦱",
            "line\nbreak\r\ttab\u{8}\u{c}", "\u{0}\u{1}\u{1f}\u{7f}", "\u{2028}\u{2029}\u{feff}",
        ]
        texts.append(String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let scalars = (0..<Int.random(in: 0...40, using: &generator)).map { _ -> Character in
                let pick = Int.random(in: 0..<4, using: &generator)
                let value: UInt32 =
                    pick == 0
                    ? UInt32.random(in: 0..<0x80, using: &generator)
                    : pick == 1
                        ? UInt32.random(in: 0x80..<0xD800, using: &generator)
                        : pick == 2 ? UInt32.random(in: 0xE000..<0x10000, using: &generator) : 0x1F600
                return Character(Unicode.Scalar(value)!)
            }
            texts.append(String(scalars))
        }
        return texts
    }()

    @Test func messageEventsAreTheBytesJSONEncoderWrites() throws {
        let encoder = ServerFrame.makeEncoder()
        let audiences: [Audience] = [
            .room, .facilitators, .member(AccountID("u-sam")),
            .facilitatorsAnd(AccountID("u-sam")),
        ]
        for (index, text) in Self.texts.enumerated() {
            let event = Event(
                room: RoomID("r-\(text.prefix(3))"), seq: Int64(index) * 7919, session: index % 3 == 0 ? nil : index,
                at: Timestamp(milliseconds: 1_700_000_000_000 + Int64(index)),
                actor: index % 5 == 0 ? nil : AccountID("u-\(index)"), audience: audiences[index % audiences.count],
                body: .message(text: text, clientID: index % 2 == 0 ? nil : "c-\(text.suffix(2))"))
            let fast = try #require(ServerFrame.messageJSON(event))
            let foundation = Array(try encoder.encode(event))
            #expect(fast == foundation, "\(text.debugDescription)")
        }
        let other = Event(
            room: RoomID("r"), seq: 1, session: 1, at: Timestamp(milliseconds: 1), actor: nil, audience: .room,
            body: .sessionOpened(number: 1))
        #expect(ServerFrame.messageJSON(other) == nil)
    }

    @Test func theAcknowledgementIsTheBytesJSONEncoderWrites() throws {
        for (id, seq, duplicate) in [
            (Int64(1), Int64(1), false), (-3, 99_999_999_999, true), (.max, .max, false), (0, 0, true),
            (.min, 10, false),
        ] {
            let fast = ServerFrame.encodeAppended(id: id, seq: seq, duplicate: duplicate)
            let foundation = try ServerFrame.encodeOK(id: id, result: Reply.Appended(seq: seq, duplicate: duplicate))
            #expect(fast == foundation)
        }
    }

    @Test func saysAreWrittenAsJSONEncoderWritesThem() throws {
        for (index, text) in Self.texts.enumerated() {
            for cid in [nil, "c-\(index)", "\"odd\" cid"] {
                let say = Request.say(.init(room: RoomID("r-\(index)"), text: text, cid: cid))
                for id in [Int64(0), 7, .max] {
                    #expect(try say.frame(id: id) == say.frameGenerally(id: id), "\(text.debugDescription)")
                }
            }
        }
    }

    @Test func repliesAreReadAsJSONDecoderReadsThem() throws {
        let largest = Int64(999_999_999_999_999_999)
        for (id, seq, duplicate) in [
            (Int64(1), Int64(1), false), (42, 99_999_999_999, true), (largest, largest, false),
        ] {
            let frame = Data(ServerFrame.encodeAppended(id: id, seq: seq, duplicate: duplicate).readableBytesView)
            #expect(ServerFrame.okID(frame) == id)
            #expect(ServerFrame.appended(frame) == Reply.Appended(seq: seq, duplicate: duplicate))
            #expect(
                try ServerFrame.result(frame, as: Reply.Appended.self) == Reply.Appended(seq: seq, duplicate: duplicate)
            )
        }
        // Nineteen digits could overflow the hand reader: JSONDecoder reads them instead.
        let huge = Data(ServerFrame.encodeAppended(id: .max, seq: .max, duplicate: true).readableBytesView)
        #expect(ServerFrame.okID(huge) == nil && ServerFrame.appended(huge) == nil)
        guard case .ok(.max, let hugeData) = try ServerFrame.parse(ByteBuffer(bytes: huge)) else {
            throw UnexpectedFrame()
        }
        #expect(try ServerFrame.result(hugeData, as: Reply.Appended.self) == Reply.Appended(seq: .max, duplicate: true))
        // Other replies keep only the id path; their results still go through JSONDecoder.
        let rooms = try ServerFrame.encodeOK(id: 9, result: Reply.Rooms(rooms: []))
        let parsed = try ServerFrame.parse(rooms)
        guard case .ok(let id, let data) = parsed else { throw UnexpectedFrame() }
        #expect(id == 9)
        #expect(try ServerFrame.result(data, as: Reply.Rooms.self).rooms.isEmpty)
        // Shapes the hand reader does not know fall through to JSONDecoder, with its answers.
        for odd in [
            #"{"id":-3,"result":{"duplicate":false,"seq":1},"type":"ok"}"#,
            #"{"result":{"duplicate":false,"seq":1},"id":3,"type":"ok"}"#,
            #"{"id":3,"result":{"duplicate":false,"seq":1,"extra":0},"type":"ok"}"#,
            #"{"id":3,"result":{"seq":1,"duplicate":false},"type":"ok"}"#,
            #"{"id":3,"result":{"duplicate":false,"seq":1.5},"type":"ok"}"#,
            #"{"id":03,"result":{"duplicate":false,"seq":1},"type":"ok"}"#,
            #"{"id":3,"result":{"duplicate":false,"seq":012},"type":"ok"}"#,
        ] {
            let data = Data(odd.utf8)
            #expect(ServerFrame.appended(data) == nil, "\(odd)")
            let general = try? JSONDecoder().decode(OkEnvelope.self, from: data).result
            #expect((try? ServerFrame.result(data, as: Reply.Appended.self)) == general, "\(odd)")
        }
        #expect(ServerFrame.okID(Data(#"{"id":3,"result":{},"type":"error"}"#.utf8)) == nil)
    }

    private struct OkEnvelope: Decodable { var result: Reply.Appended }
    private struct UnexpectedFrame: Error {}

    @Test func plainSaysParseAsJSONDecoderParsesThem() throws {
        var frames = Self.texts.map { text in
            Array(
                try! Request.say(.init(room: RoomID("r-1"), text: text, cid: "c-1")).frame(id: 42).readableBytesView
                    .dropLast())
        }
        frames += [
            #"{"id":7,"op":"say","room":"r","text":"hi"}"#, #" { "op" : "say" , "room":"r", "text":"a\/b\"" } "#,
            #"{"id":null,"op":"say","room":"r","text":"x","cid":null}"#, #"{"id":-0,"op":"say","room":"r","text":""}"#,
            #"{"id":9223372036854775807,"op":"say","room":"r","text":"max"}"#,
        ].map { Array($0.utf8) }
        for frame in frames {
            let text = String(decoding: frame, as: UTF8.self)
            // Control characters come as \u escapes, which are left to JSONDecoder.
            guard let fast = frame.withUnsafeBytes({ Request.plainSay($0) }) else {
                #expect(text.contains(#"\u"#), "\(text)")
                continue
            }
            let general = Request.parseGenerally(frame)
            #expect(fast.id == general.id)
            #expect(try fast.request.get() == general.request.get())
        }
    }

    @Test func anythingLessPlainGoesToJSONDecoder() {
        let declined = [
            #"{"id":1.0,"op":"say","room":"r","text":"x"}"#, #"{"id":1e2,"op":"say","room":"r","text":"x"}"#,
            #"{"id":01,"op":"say","room":"r","text":"x"}"#, #"{"id":"1","op":"say","room":"r","text":"x"}"#,
            #"{"id":9223372036854775808,"op":"say","room":"r","text":"x"}"#,
            #"{"op":"say","room":"r","text":"\u00e9"}"#, #"{"op":"say","room":"r","text":"x","text":"y"}"#,
            #"{"op":"say","room":"r","text":"x","extra":true}"#, #"{"op":"say","room":"r","text":"x"} {}"#,
            #"{"op":"say","room":"r"}"#, #"{"op":"hello","room":"r","text":"x"}"#,
            #"{"op":"say","room":{},"text":"x"}"#,
            #"{"op":"say","room":"r","text":"unterminated}"#, "{\"op\":\"say\",\"room\":\"r\",\"text\":\"tab\traw\"}",
            #"{"op":"say","room":"r","text":"x\"#, "[]", "",
        ]
        for text in declined {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBytes { Request.plainSay($0) } == nil, "\(text)")
            // And the whole parse still answers as before.
            _ = Request.parse(ByteBuffer(bytes: bytes))
        }
    }
}
