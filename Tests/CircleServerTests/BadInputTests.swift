import CircleClient
import CircleCore
import CircleProtocol
import CircleServer
import CircleTestSupport
import Foundation
import Testing

@Suite struct BadInputTests {
    func send(_ client: TestClient, _ text: String) async throws {
        try await client.connection.sendRaw(Array((text + "\n").utf8))
    }

    /// Sends one bad frame and returns the error it is answered with.
    func answer(_ client: TestClient, _ bytes: [UInt8]) async throws -> CircleError {
        let count = client.errors.count
        try await client.connection.sendRaw(bytes + [UInt8(ascii: "\n")])
        try await client.waitUntil { $0.errors.count > count }
        return client.errors[count]
    }

    @Test func eachKindOfBadFrameIsNamedAndTheConnectionStaysOpen() async throws {
        let server = try await TestServer.start()
        let client = try await server.connect(token: try server.addFacilitator())
        let cases: [(String, ErrorCode, String)] = [
            (#"{"id":1,"op":"say""#, .badJSON, "JSON"),
            (#"{"id":2,"op":"dance"}"#, .unknownOperation, "dance"),
            (#"{"id":3,"op":"say","room":"r1"}"#, .missingField, "'text'"),
            (#"{"id":4,"op":"say","room":7,"text":"x"}"#, .badField, "'room'"),
            (#"{"id":5,"op":"say","room":"nope","text":"x"}"#, .noSuchRoom, "nope"),
            (#"{"id":6,"op":"hello","protocol":1}"#, .alreadyGreeted, "hello"),
        ]
        for (frame, code, mentions) in cases {
            let error = try await answer(client, Array(frame.utf8))
            #expect(error.code == code, "\(frame)")
            #expect(error.message.contains(mentions), "\(error.message)")
        }
        let invalid = try await answer(client, [0x7B, 0xC3, 0x28, 0x7D])
        #expect(invalid.code == .invalidUTF8)
        // Still open and still useful.
        let _: Reply.Done = try await client.request(.ping)
        let rooms: Reply.Rooms = try await client.request(.roomList)
        #expect(rooms.rooms.isEmpty)
        await client.close()
        try await server.stop()
    }

    @Test func refusedRequestsStoreNothing() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let before: Reply.History = try await scenario.facilitator.request(.history(.init(room: scenario.room)))
        #expect(await scenario.facilitator.refusal(.say(.init(room: scenario.room, text: "   "))) == .textInvalid)
        #expect(
            await scenario.facilitator.refusal(.say(.init(room: scenario.room, text: "x", cid: "has space")))
                == .badField)
        #expect(await scenario.facilitator.refusal(.sessionOpen(.init(room: scenario.room))) == .sessionAlreadyOpen)
        #expect(
            await scenario.facilitator.refusal(.inviteCreate(.init(room: scenario.room, uses: 0))) == .badField)
        #expect(
            await scenario.facilitator.refusal(.inviteCreate(.init(room: scenario.room, expiresIn: 0))) == .badField)
        #expect(await scenario.facilitator.refusal(.history(.init(room: scenario.room, limit: 0))) == .badField)
        #expect(await scenario.facilitator.refusal(.roomCreate(.init(name: "\u{1B}[2J"))) == .nameInvalid)
        let after: Reply.History = try await scenario.facilitator.request(.history(.init(room: scenario.room)))
        #expect(after == before)
        await scenario.facilitator.close()
        try await server.stop()
    }

    /// Text that could rewrite a terminal or hide what it says is refused in every field,
    /// over a real socket, and nobody else sees a thing of it.
    @Test func controlAndInvisibleCharactersAreRefusedInEveryField() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        try await scenario.join(sam)
        try await scenario.join(scenario.facilitator)
        let room = scenario.room
        let before = try server.store.lastSeq(room: room)
        #expect(await sam.refusal(.say(.init(room: room, text: "hi \u{1B}]0;owned\u{07}"))) == .textInvalid)
        #expect(await sam.refusal(.say(.init(room: room, text: "Dana\u{202E}"))) == .textInvalid)
        #expect(
            await sam.refusal(.journalAdd(.init(kind: .win, text: "a good day", tags: ["\u{1B}[2J"]))) == .badField)
        #expect(
            await sam.refusal(.journalAdd(.init(kind: .win, text: "a good day", tags: ["calm\u{200B}"]))) == .badField)
        #expect(await sam.refusal(.helpSignal(.init(room: room, note: "help\u{1B}[2J"))) == .textInvalid)
        #expect(
            await scenario.facilitator.refusal(.roomTopic(.init(room: room, text: "week\t4"))) == .textInvalid)
        #expect(
            await scenario.facilitator.refusal(.roomTopic(.init(room: room, text: "\u{FEFF}week 4"))) == .textInvalid)
        // A hello whose client name would reach the operator's audit listing raw.
        let raw = try await server.openRaw()
        #expect(await raw.refusal(.hello(.init(client: "circle\u{1B}[31m"))) == .badField)
        let _: Reply.Done = try await sam.request(.ping)
        #expect(try server.store.lastSeq(room: room) == before)
        await raw.close()
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    /// Over a real socket: what JSONDecoder only calls broken is said of the field it is in,
    /// with the request's id, and the connection stays open.
    @Test func badNumbersAndStringsAreNamedOverTheWire() async throws {
        let server = try await TestServer.start()
        let client = try await server.connect(token: try server.addFacilitator())
        let cases: [(String, String)] = [
            (#"{"id":1,"op":"history","room":"r-1","limit":2.5}"#, "Field 'limit' must be a whole number"),
            (#"{"id":2,"op":"say","room":"r-1","text":"\udc00"}"#, "Field 'text' holds half of a UTF-16"),
            (
                "{\"id\":3,\"op\":\"say\",\"room\":\"r-1\",\"text\":\"a\u{07}\"}",
                "Field 'text' holds a raw control byte"
            ),
            (#"{"id":4.5,"op":"ping"}"#, "Field 'id' must be a whole number"),
        ]
        for (frame, says) in cases {
            let error = try await answer(client, Array(frame.utf8))
            #expect(error.code == .badField, "\(frame)")
            #expect(error.message.hasPrefix(says), "\(error.message)")
        }
        let _: Reply.Done = try await client.request(.ping)
        await client.close()
        try await server.stop()
    }

    /// No one joins under a name that could pass for a member already there, or for a role.
    @Test func aLookAlikeNameIsRefusedAtRedeemOverTheWire() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let before = try server.store.lastSeq(room: scenario.room)
        for (name, code) in [("D\u{0430}na", ErrorCode.nameTaken), ("dana", .nameTaken), ("@Dana", .nameInvalid)] {
            let stranger = try await server.connect()
            #expect(await stranger.refusal(.redeem(.init(code: scenario.code, name: name))) == code, "\(name)")
            await stranger.close()
        }
        #expect(try server.store.lastSeq(room: scenario.room) == before)
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func anOversizeFrameGetsAFinalErrorAndTheConnectionCloses() async throws {
        let server = try await TestServer.start { $0.maxFrameSize = 1024 }
        let client = try await server.connect(token: try server.addFacilitator())
        let text = String(repeating: "x", count: 2000)
        try await send(client, #"{"id":1,"op":"ping","pad":""# + text + #""}"#)
        try await client.waitUntil { !$0.errors.isEmpty }
        #expect(client.errors.first?.code == .frameTooLarge)
        #expect(client.errors.first?.message.contains("1024") == true)
        try await client.waitUntilClosed()
        await client.close()
        try await server.stop()
    }

    @Test func repeatedGarbageClosesTheConnection() async throws {
        let server = try await TestServer.start { $0.maxBadFrames = 3 }
        let client = try await server.connect(token: try server.addFacilitator())
        for _ in 0..<3 { try await send(client, "garbage") }
        try await client.waitUntil { $0.errors.count == 3 }
        #expect(client.errors.map(\.code) == [.badJSON, .badJSON, .tooManyBadFrames])
        try await client.waitUntilClosed()
        await client.close()
        try await server.stop()
    }

    @Test func helloComesFirstAndSpeaksAKnownVersion() async throws {
        let server = try await TestServer.start()
        let raw = try await server.openRaw()
        #expect(await raw.refusal(.roomList) == .helloRequired)
        #expect(await raw.refusal(.hello(.init(protocol: 99))) == .unsupportedProtocol)
        #expect(await raw.refusal(.hello(.init(token: "ct_wrong"))) == .badToken)
        let hello: Reply.Hello = try await raw.request(.hello(.init()))
        #expect(hello.protocol == ProtocolVersion.current)
        #expect(hello.account == nil)
        #expect(hello.maxFrame == ServerConfiguration().maxFrameSize)
        await raw.close()
        try await server.stop()
    }

    @Test func aConnectionThatNeverSignsInIsClosed() async throws {
        let clock = ManualClock(now: SystemClock().now())
        let server = try await TestServer.start(clock: clock) { $0.authTimeoutSeconds = 10 }
        let raw = try await server.openRaw()
        // Answered, so the server has the connection (and its start) before time moves.
        #expect(await raw.refusal(.ping) == .helloRequired)
        let signedIn = try await server.connect(token: try server.addFacilitator())
        clock.advance(by: 9_000)
        let _: Reply.Done = try await signedIn.request(.ping)
        #expect(raw.errors.allSatisfy { $0.code != .authTimeout })
        clock.advance(by: 1_000)
        try await raw.waitUntil { $0.errors.contains { $0.code == .authTimeout } }
        try await raw.waitUntilClosed()
        // A signed-in connection outlives the same timeout.
        clock.advance(by: 5_000)
        let _: Reply.Done = try await signedIn.request(.ping)
        await signedIn.close()
        await raw.close()
        try await server.stop()
    }
}
