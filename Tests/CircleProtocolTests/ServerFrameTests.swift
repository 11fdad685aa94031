import CircleCore
import CircleProtocol
import Foundation
import NIOCore
import Testing

@Suite struct ServerFrameTests {
    func parse(_ buffer: ByteBuffer) throws -> ServerFrame {
        var line = buffer
        #expect(line.readableBytesView.last == UInt8(ascii: "\n"))
        line.moveWriterIndex(to: line.writerIndex - 1)
        return try ServerFrame.parse(line)
    }

    @Test func repliesCarryTheirResult() throws {
        let frame = try parse(ServerFrame.encodeOK(id: 4, result: Reply.Appended(seq: 12, duplicate: true)))
        guard case .ok(let id, let data) = frame else {
            Issue.record("not an ok frame")
            return
        }
        #expect(id == 4)
        #expect(try ServerFrame.result(data, as: Reply.Appended.self) == Reply.Appended(seq: 12, duplicate: true))
    }

    @Test func errorsCarryCodeAndMessage() throws {
        let error = CircleError(.forbidden, "Not for you.")
        guard case .error(let id, let parsed) = try parse(ServerFrame.encodeError(id: nil, error)) else {
            Issue.record("not an error frame")
            return
        }
        #expect(id == nil)
        #expect(parsed == error)
    }

    @Test func eventFramesWrapTheStoredJSON() throws {
        let event = Event(
            room: RoomID("r-1"), seq: 3, session: 1, at: Timestamp(milliseconds: 99), actor: AccountID("u-1"),
            audience: .room, body: .message(text: "hi", clientID: nil))
        let json = try ServerFrame.encodeEventJSON(event)
        guard case .event(let parsed) = try parse(ServerFrame.eventFrame(json: json)) else {
            Issue.record("not an event frame")
            return
        }
        #expect(parsed == event)
    }

    @Test func pingPresenceAndByeParse() throws {
        guard case .ping = try parse(ServerFrame.encodePing()) else {
            Issue.record("not a ping")
            return
        }
        let presence = Presence(room: RoomID("r"), member: AccountID("u"), name: "Sam", online: true)
        guard case .presence(let parsed) = try parse(ServerFrame.encodePresence(presence)) else {
            Issue.record("not presence")
            return
        }
        #expect(parsed == presence)
        guard case .bye(let reason) = try parse(ServerFrame.encodeBye(CircleError(.shuttingDown, "bye"))) else {
            Issue.record("not bye")
            return
        }
        #expect(reason.code == .shuttingDown)
        let span = PurgedSpan(
            room: RoomID("r"), session: 1, first: 1, last: 9, archive: "archives/r/session-1.circle.gz")
        guard case .purged(let said) = try parse(ServerFrame.encodePurged(span)) else {
            Issue.record("not purged")
            return
        }
        #expect(said == span)
    }
}
