import CircleCore
import Foundation
import Testing

/// A room's snapshot is the state itself: decoded, it is equal to the state it was made of,
/// and the same events folded onto either give the same room.
@Suite struct SnapshotTests {
    @Test func aSnapshotDecodesToTheSameStateAndFoldsOnTheSame() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam, RoomFixture.kim, RoomFixture.lee], open: true)
        try fixture.run(.say(text: "Hello", clientID: "c-1"), by: RoomFixture.sam)
        try fixture.run(.mute(member: RoomFixture.kim.account, seconds: 600, reason: "a pause"), by: RoomFixture.owner)
        try fixture.run(
            .startRound(
                kind: .checkIn, prompt: "How was your week?", order: .joined, listed: nil, turnSeconds: 300,
                instrument: nil), by: RoomFixture.owner)
        try fixture.run(.checkIn(CheckIn(note: "A good week.", commitment: "Walk twice")), by: RoomFixture.sam)
        try fixture.run(.passTurn, by: RoomFixture.kim)
        let snapshot = try JSONEncoder().encode(fixture.state)
        var restored = try JSONDecoder().decode(RoomState.self, from: snapshot)
        #expect(restored == fixture.state)
        #expect(restored.round?.outcomes.map(\.1) == fixture.state.round?.outcomes.map(\.1))
        // The rest of the round, then more talk, on the live state and on the restored one.
        let before = fixture.log.count
        try fixture.run(.checkIn(CheckIn()), by: RoomFixture.lee)
        try fixture.run(.say(text: "Thank you all", clientID: "c-2"), by: RoomFixture.sam)
        for event in fixture.log.dropFirst(before) { restored.apply(event) }
        #expect(restored == fixture.state)
        // A repeat is still known as one after the snapshot.
        #expect(
            try fixture.state.execute(.say(text: "Hello", clientID: "c-1"), by: RoomFixture.sam, at: fixture.now)
                == restored.execute(.say(text: "Hello", clientID: "c-1"), by: RoomFixture.sam, at: fixture.now))
    }
}
