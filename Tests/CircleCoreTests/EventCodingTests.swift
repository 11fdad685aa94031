import CircleCore
import Foundation
import Testing

@Suite struct EventCodingTests {
    static let bodies: [EventBody] = [
        .roomCreated(name: "Tuesday group", ownerName: "Dana"),
        .inviteCreated(invite: InviteID("i-1"), uses: 3, expiresAt: Timestamp(milliseconds: 5)),
        .inviteCreated(invite: InviteID("i-2"), uses: 1, expiresAt: nil),
        .memberJoined(member: AccountID("u-1"), name: "Sam", role: .participant, invite: InviteID("i-1")),
        .sessionOpened(number: 2),
        .sessionClosed(number: 2),
        .message(text: "hello\n\"quoted\"", clientID: "c-1"),
        .message(text: "no id", clientID: nil),
        .agreementsSet(version: 2, text: "Be kind."),
        .agreementsAccepted(version: 2),
        .helpRequested(note: "I'm struggling tonight"),
        .helpRequested(note: nil),
        .riskAlert(message: 12, phrase: "want to die"),
        .crisisCard(text: "Call 988."),
        .memberMuted(member: AccountID("u-2"), until: Timestamp(milliseconds: 99), reason: "pause"),
        .memberMuted(member: AccountID("u-2"), until: nil, reason: "pause"),
        .memberUnmuted(member: AccountID("u-2")),
    ]

    @Test(arguments: bodies)
    func everyKindRoundTrips(_ body: EventBody) throws {
        let event = Event(
            room: RoomID("r-1"), seq: 7, session: 2, at: Timestamp(milliseconds: 1_700_000_000_123),
            actor: AccountID("u-1"), audience: .member(AccountID("u-2")), body: body)
        let data = try JSONEncoder().encode(event)
        #expect(try JSONDecoder().decode(Event.self, from: data) == event)
    }

    @Test func theStoredShapeIsFlatWithKindAndData() throws {
        let event = Event(
            room: RoomID("r-1"), seq: 1, session: nil, at: Timestamp(milliseconds: 10), actor: nil, audience: .room,
            body: .sessionOpened(number: 1))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(event), as: UTF8.self)
        #expect(
            text == #"{"at":10,"audience":"room","data":{"number":1},"kind":"session_opened","room":"r-1","seq":1}"#)
    }

    @Test func unknownKindsAreRejectedByName() {
        let json = #"{"at":1,"audience":"room","data":{},"kind":"teleport","room":"r","seq":1}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Event.self, from: Data(json.utf8)) }
    }
}
