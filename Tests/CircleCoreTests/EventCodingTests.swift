import CircleCore
import Foundation
import Testing

@Suite struct EventCodingTests {
    static let bodies: [EventBody] = [
        .roomCreated(name: "Tuesday group", ownerName: "Dana"),
        .inviteCreated(invite: InviteID("i-1"), uses: 3, expiresAt: Timestamp(milliseconds: 5), role: .participant),
        .inviteCreated(invite: InviteID("i-2"), uses: 1, expiresAt: nil, role: .observer),
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
        .memberRoleChanged(member: AccountID("u-2"), role: .coFacilitator),
        .memberKicked(member: AccountID("u-2"), reason: "a break"),
        .memberBanned(member: AccountID("u-2"), until: Timestamp(milliseconds: 9), reason: "threats"),
        .memberBanned(member: AccountID("u-2"), until: nil, reason: "threats"),
        .memberUnbanned(member: AccountID("u-2")),
        .messageRemoved(message: 4, author: AccountID("u-2"), reason: "names a person outside the group"),
        .roomLocked(true),
        .roomLocked(false),
        .topicSet(text: "Sleep"),
        .floorModeSet(mode: .slow, seconds: 30),
        .floorModeSet(mode: .hands, seconds: nil),
        .handRaised,
        .handLowered(member: AccountID("u-2")),
        .floorGiven(member: AccountID("u-2"), until: Timestamp(milliseconds: 60)),
        .floorGiven(member: nil, until: nil),
        .directMessagesSet(allowed: true),
        .sideRoomOpened(room: RoomID("r-2"), member: AccountID("u-2")),
        .sideRoomCreated(parent: RoomID("r-1"), member: AccountID("u-2"), name: "Sam"),
        .withheld(kind: "message"),
    ]

    @Test(arguments: bodies)
    func everyKindRoundTrips(_ body: EventBody) throws {
        let event = Event(
            room: RoomID("r-1"), seq: 7, session: 2, at: Timestamp(milliseconds: 1_700_000_000_123),
            actor: AccountID("u-1"), audience: .member(AccountID("u-2")), body: body)
        let data = try JSONEncoder().encode(event)
        #expect(try JSONDecoder().decode(Event.self, from: data) == event)
    }

    @Test func invitesWrittenBeforeRolesJoinAsParticipants() throws {
        let stored =
            #"{"room":"r-1","seq":2,"at":1,"actor":"u-1","audience":"facilitators","kind":"invite_created","data":{"invite":"i-1","uses":2}}"#
        let event = try JSONDecoder().decode(Event.self, from: Data(stored.utf8))
        #expect(event.body == .inviteCreated(invite: InviteID("i-1"), uses: 2, expiresAt: nil, role: .participant))
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
