import CircleCore
import CircleProtocol
import CircleTestSupport
import Foundation
import NIOCore
import Testing

@Suite struct RequestParsingTests {
    func parse(_ text: String) -> (Int64?, Result<Request, CircleError>) {
        let (id, result) = Request.parse(ByteBuffer(string: text))
        return (id, result)
    }

    func code(_ text: String) -> ErrorCode? {
        if case .failure(let error) = parse(text).1 { return error.code }
        return nil
    }

    @Test func everyRequestRoundTripsThroughItsFrame() throws {
        let requests = RequestExamples.all
        for (index, request) in requests.enumerated() {
            var frame = try request.frame(id: Int64(index))
            #expect(frame.readableBytesView.last == UInt8(ascii: "\n"))
            frame.moveWriterIndex(to: frame.writerIndex - 1)
            let (id, parsed) = Request.parse(frame)
            #expect(id == Int64(index))
            #expect(try parsed.get() == request)
        }
        #expect(Set(requests.map(\.operation)) == Set(CommandName.allCases).subtracting([.roundTick]))
    }

    @Test func theServersOwnHousekeepingIsNotARequest() {
        #expect(code(#"{"id":1,"op":"round.tick","room":"r-1"}"#) == .unknownOperation)
    }

    @Test func malformedJSONIsNamed() {
        #expect(code("{not json") == .badJSON)
        #expect(code("[1,2]") == .badJSON)
        #expect(code("") == .badJSON)
    }

    @Test func invalidUTF8IsNamed() {
        let (_, result) = Request.parse(ByteBuffer(bytes: [0x7B, 0xFF, 0xFE, 0x7D]))
        guard case .failure(let error) = result else {
            Issue.record("invalid UTF-8 was accepted")
            return
        }
        #expect(error.code == .invalidUTF8)
    }

    @Test func unknownOperationsKeepTheirRequestID() {
        let (id, result) = parse(#"{"id":7,"op":"teleport"}"#)
        #expect(id == 7)
        guard case .failure(let error) = result else { return }
        #expect(error.code == .unknownOperation)
        #expect(error.message.contains("teleport"))
    }

    @Test func missingAndMistypedFieldsAreNamed() {
        let (_, missing) = parse(#"{"id":1,"op":"say","room":"r-1"}"#)
        guard case .failure(let error) = missing else { return }
        #expect(error.code == .missingField)
        #expect(error.message.contains("'text'"))

        let (_, mistyped) = parse(#"{"id":2,"op":"history","room":"r-1","limit":"ten"}"#)
        guard case .failure(let wrongType) = mistyped else { return }
        #expect(wrongType.code == .badField)
        #expect(wrongType.message.contains("'limit'"))

        #expect(code(#"{"id":3}"#) == .missingField)
        #expect(code(#"{"id":"x","op":"ping"}"#) == .badField)
    }
}

/// What JSONDecoder calls only "not valid JSON" is said of the field it is in.
@Suite struct FieldProblemTests {
    func error(_ frame: String) -> (Int64?, CircleError?) {
        let (id, result) = Request.parse(ByteBuffer(string: frame))
        guard case .failure(let error) = result else { return (id, nil) }
        return (id, error)
    }

    @Test func badNumbersStringsAndIDsAreNamed() {
        let cases: [(String, Int64?, String)] = [
            (#"{"id":1,"op":"history","room":"r-1","limit":1.5}"#, 1, "Field 'limit' must be a whole number; got 1.5."),
            (
                #"{"id":2,"op":"history","room":"r-1","limit":99999999999999999999}"#, 2,
                "Field 'limit' is too large a number; got 99999999999999999999."
            ),
            (
                #"{"id":3,"op":"say","room":"r-1","text":"\ud800 alone"}"#, 3,
                "Field 'text' holds half of a UTF-16 surrogate pair, which is not a character."
            ),
            (
                "{\"id\":4,\"op\":\"say\",\"room\":\"r-1\",\"text\":\"a\u{01}b\"}", 4,
                "Field 'text' holds a raw control byte (0x01); JSON strings carry those escaped, as \\u00XX."
            ),
            (#"{"id":1.5,"op":"ping"}"#, nil, "Field 'id' must be a whole number."),
            (#"{"id":99999999999999999999,"op":"ping"}"#, nil, "Field 'id' must be a whole number."),
            (#"{"id":"x","op":"ping"}"#, nil, "Field 'id' must be a whole number."),
        ]
        for (frame, id, message) in cases {
            let (parsedID, error) = error(frame)
            #expect(parsedID == id, "\(frame)")
            #expect(error?.code == .badField, "\(frame)")
            #expect(error?.message == message, "\(frame)")
        }
        // Nesting far past JSONDecoder's limit is broken JSON, read without exhausting the stack.
        let deep = String(repeating: "[", count: 70_000) + String(repeating: "]", count: 70_000)
        let wrapped = #"{"id":7,"op":"say","room":"r-1","text":"# + deep + "}"
        #expect(error(wrapped).1?.code == .badJSON)
        #expect(error(deep).1?.code == .badJSON)
        // A pair is a character, and an exponent that makes a whole number is a whole number.
        #expect(error(#"{"id":5,"op":"say","room":"r-1","text":"\ud83c\udf31"}"#).1 == nil)
        #expect(error(#"{"id":6,"op":"history","room":"r-1","limit":1e2}"#).1 == nil)
    }
}
