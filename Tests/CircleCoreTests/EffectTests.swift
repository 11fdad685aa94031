import CircleCore
import Testing

/// A decision says what the shell must do after its commit: the round's clock, a member to
/// move on, subscriptions to change. The server only switches on these.
@Suite struct EffectTests {
    typealias Fixture = RoomFixture

    @Test func decisionsNameTheirEffects() throws {
        var fixture = try Fixture.ready(members: [Fixture.sam, Fixture.kim], open: true)
        let sam = Fixture.sam.account
        let started = try fixture.run(
            .startRound(
                kind: .checkIn, prompt: "Week?", order: .joined, listed: nil, turnSeconds: 60, instrument: nil),
            by: Fixture.owner)
        #expect(started.effects == [.rearmRoundTimer, .moveOnIfAway(sam), .rearmRoundTimer])
        let said = try fixture.run(.say(text: "Hello.", clientID: "c1"), by: Fixture.owner)
        #expect(said.effects.isEmpty)
        let role = try fixture.run(.setRole(member: Fixture.kim.account, role: .observer), by: Fixture.owner)
        #expect(role.effects == [.receiveAs(Fixture.kim.account, .observer)])
        let kicked = try fixture.run(.kick(member: Fixture.kim.account, reason: "A breather."), by: Fixture.owner)
        #expect(kicked.effects == [.unsubscribe(Fixture.kim.account)])
        // A repeat stores nothing, so nothing follows it.
        #expect(try fixture.run(.say(text: "Hello.", clientID: "c1"), by: Fixture.owner).effects.isEmpty)
    }
}
