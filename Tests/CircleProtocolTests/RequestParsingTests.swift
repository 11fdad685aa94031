import CircleCore
import CircleProtocol
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
        let room = RoomID("r-1")
        let requests: [Request] = [
            .hello(.init(protocol: 1, client: "test", token: "ct_x")), .ping,
            .redeem(.init(code: "AB-CD", name: "Sam")),
            .roomCreate(.init(name: "Group")), .roomList,
            .inviteCreate(.init(room: room, uses: 3, expiresIn: 60, role: .observer)),
            .sessionOpen(.init(room: room)), .sessionClose(.init(room: room)), .join(.init(room: room, since: 4)),
            .leave(.init(room: room)), .say(.init(room: room, text: "hi", cid: "c1")),
            .history(.init(room: room, before: 9, limit: 5)), .auditList(.init(room: room, limit: 3)),
            .agreementsSet(.init(room: room, text: "Be kind.")), .agreementsAccept(.init(room: room, version: 2)),
            .helpSignal(.init(room: room, note: "now")),
            .memberMute(.init(room: room, member: AccountID("u-2"), duration: 60, reason: "pause")),
            .memberUnmute(.init(room: room, member: AccountID("u-2"))),
            .memberRole(.init(room: room, member: AccountID("u-2"), role: .observer)),
            .memberKick(.init(room: room, member: AccountID("u-2"), reason: "a break")),
            .memberBan(.init(room: room, member: AccountID("u-2"), reason: "threats")),
            .memberUnban(.init(room: room, member: AccountID("u-2"))),
            .messageRemove(.init(room: room, seq: 4, reason: "an address")),
            .messageOriginal(.init(room: room, seq: 4)),
            .roomLock(.init(room: room)), .roomUnlock(.init(room: room)), .roomTopic(.init(room: room, text: "Sleep")),
            .floorSet(.init(room: room, mode: .slow, seconds: 30)), .handRaise(.init(room: room)),
            .handLower(.init(room: room, member: AccountID("u-2"))),
            .floorGive(.init(room: room, member: AccountID("u-2"), duration: 90)),
            .dmAllow(.init(room: room, allowed: true)),
            .dm(.init(room: room, to: AccountID("u-2"), text: "hi", cid: "c2")), .dm(.init(room: room, text: "help")),
            .sideOpen(.init(room: room, member: AccountID("u-2"))),
            .noteAdd(.init(room: room, member: AccountID("u-2"), text: "seemed tired")),
            .noteList(.init(room: room, member: AccountID("u-2"))),
            .goalSet(.init(room: room, text: "Walk", horizon: .long, target: "2027-01-31", visibility: .facilitators)),
            .goalRevise(.init(room: room, goal: GoalID("g1"), text: "Walk more", reason: "easy")),
            .goalStatus(.init(room: room, goal: GoalID("g1"), status: .achieved)),
            .sharedGoalAdd(.init(room: room, text: "Start on time")),
            .sharedGoalDecide(.init(room: room, goal: GoalID("g2"), accept: false, reason: "later")),
            .roomSettings(.init(room: room, maxGoals: 2, crossTalk: .allowed)),
            .roundStart(
                .init(
                    room: room, kind: .checkOut, prompt: "One word", order: .listed, members: [AccountID("u-2")],
                    turnSeconds: 120, instrument: "gad7")),
            .roundPass(.init(room: room)),
            .checkIn(
                .init(
                    room: room, ratings: [.init(goal: GoalID("g1"), progress: 7, gas: 1)], answers: [0, 1],
                    note: "ok", kept: .partly, commitment: "walk")),
            .roundSkip(.init(room: room)), .roundExtend(.init(room: room, seconds: 60)), .roundClose(.init(room: room)),
            .attendanceSet(.init(room: room, member: AccountID("u-2"), status: .excused)),
            .progress(.init(room: room)), .overview(.init(room: room)),
            .journalAdd(.init(kind: .trigger, text: "crowds", tags: ["crowds"], mood: 4)),
            .journalList(.init(limit: 5)), .journalShare(.init(entry: 42, room: room)),
            .journalSummary(.init(month: "2026-11")), .journalShared(.init(room: room, member: AccountID("u-2"))),
            .archiveExport(.init(room: room, session: 2)), .archiveMine(.init(room: room)),
            .archiveRead(.init(room: room, file: "session-2.circle.gz", offset: 32768)), .tokenRevoke,
        ]
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
