import CircleCore
import Testing

/// The round state machine: every transition, with the clock moved by hand.
@Suite struct RoundTests {
    let owner = RoomFixture.owner
    let sam = RoomFixture.sam
    let kim = RoomFixture.kim
    let lee = RoomFixture.lee

    func started(turnSeconds: Int? = nil, instrument: String? = nil) throws -> RoomFixture {
        var fixture = try RoomFixture.ready(members: [sam, kim, lee], open: true)
        try fixture.run(
            .startRound(
                kind: .checkIn, prompt: "How was your week?", order: .joined, listed: nil, turnSeconds: turnSeconds,
                instrument: instrument), by: owner)
        return fixture
    }

    @Test func aRoundGoesRoundInJoinOrderAndEndsWithASummary() throws {
        var fixture = try started()
        #expect(fixture.kinds(since: fixture.log.count - 2) == ["round_started", "turn_began"])
        #expect(fixture.state.round?.current == sam.account)
        #expect(fixture.state.round?.queue == [kim.account, lee.account])
        try fixture.run(.checkIn(CheckIn(note: "A good week.", commitment: "Walk twice")), by: sam)
        #expect(fixture.state.round?.current == kim.account)
        try fixture.run(.passTurn, by: kim)
        let before = fixture.log.count
        try fixture.run(.checkIn(CheckIn()), by: lee)
        #expect(fixture.kinds(since: before) == ["check_in", "turn_ended", "round_ended"])
        guard case .roundEnded(_, let summary, let early) = fixture.log.last?.body else {
            Issue.record("no summary")
            return
        }
        #expect(!early)
        #expect(summary.map(\.outcome) == [.checkedIn, .passed, .checkedIn])
        #expect(fixture.state.round == nil)
    }

    @Test func whoIsStillToGoIsTheTurnThenTheQueue() throws {
        var fixture = try started()
        #expect(
            try fixture.state.stillToGo().get()
                == StillToGo(round: 1, current: sam.account, waiting: [kim.account, lee.account]))
        try fixture.run(.skipTurn, by: owner)
        // A skipped member comes back at the end, so is still to go.
        #expect(
            try fixture.state.stillToGo().get()
                == StillToGo(round: 1, current: kim.account, waiting: [lee.account, sam.account]))
        try fixture.run(.closeRound, by: owner)
        #expect(throws: CircleError(.noRound, "No round is running.")) { try fixture.state.stillToGo().get() }
    }

    @Test func onlyTheMemberWhoseTurnItIsChecksInOrPasses() throws {
        var fixture = try started()
        #expect(fixture.refusal(.passTurn, by: kim) == .notYourTurn)
        #expect(fixture.refusal(.checkIn(CheckIn()), by: kim) == .notYourTurn)
        #expect(fixture.refusal(.passTurn, by: owner) == .forbidden)
        #expect(
            fixture.refusal(
                .startRound(
                    kind: .checkOut, prompt: "x", order: .joined, listed: nil, turnSeconds: nil, instrument: nil),
                by: owner) == .roundInProgress)
    }

    @Test func crossTalkIsRefusedDuringARoundUnlessTheRoomAllowsIt() throws {
        var fixture = try started()
        #expect(fixture.refusal(.say(text: "me too!", clientID: nil), by: kim) == .roundInProgress)
        #expect(fixture.refusal(.say(text: "my turn words", clientID: nil), by: sam) == nil)
        #expect(fixture.refusal(.say(text: "facilitators may", clientID: nil), by: owner) == nil)
        try fixture.run(.configure(maxGoals: nil, crossTalk: .allowed), by: owner)
        #expect(fixture.refusal(.say(text: "me too!", clientID: nil), by: kim) == nil)
    }

    @Test func aSkippedMemberComesBackAtTheEnd() throws {
        var fixture = try started()
        try fixture.run(.skipTurn, by: owner)
        #expect(fixture.state.round?.current == kim.account)
        #expect(fixture.state.round?.queue == [lee.account, sam.account])
        try fixture.run(.passTurn, by: kim)
        try fixture.run(.passTurn, by: lee)
        #expect(fixture.state.round?.current == sam.account)
        try fixture.run(.checkIn(CheckIn()), by: sam)
        #expect(fixture.state.round == nil)
    }

    @Test func aMemberAwayAtTheirTurnMovesToTheEndOnceThenIsAbsent() throws {
        var fixture = try started()
        try fixture.run(.away(member: sam.account), by: owner)
        #expect(fixture.state.round?.current == kim.account)
        #expect(fixture.state.round?.queue == [lee.account, sam.account])
        // Someone who is not holding the turn is not moved.
        try fixture.run(.away(member: lee.account), by: owner)
        #expect(fixture.state.round?.queue == [lee.account, sam.account])
        try fixture.run(.passTurn, by: kim)
        try fixture.run(.passTurn, by: lee)
        try fixture.run(.away(member: sam.account), by: owner)
        guard case .roundEnded(_, let summary, _) = fixture.log.last?.body else {
            Issue.record("the round did not end")
            return
        }
        #expect(summary.first { $0.member == sam.account }?.outcome == .absent)
    }

    @Test func timedTurnsWarnAtEightyPercentAndMoveOnAtTheEnd() throws {
        var fixture = try started(turnSeconds: 100)
        let start = fixture.now
        #expect(fixture.state.round?.nextDeadline == start.adding(seconds: 80))
        fixture.now = start.adding(seconds: 79)
        #expect(try fixture.run(.tick, by: owner) == .append([]))
        fixture.now = start.adding(seconds: 80)
        try fixture.run(.tick, by: owner)
        #expect(fixture.log.last?.body == .turnWarned(member: sam.account))
        #expect(try fixture.run(.tick, by: owner) == .append([]))
        #expect(fixture.state.round?.nextDeadline == start.adding(seconds: 100))
        try fixture.run(.extendTurn(seconds: 60), by: owner)
        #expect(fixture.state.round?.turnEndsAt == start.adding(seconds: 160))
        fixture.now = start.adding(seconds: 160)
        try fixture.run(.tick, by: owner)
        #expect(fixture.kinds(since: fixture.log.count - 2) == ["turn_ended", "turn_began"])
        #expect(fixture.log[fixture.log.count - 2].body == .turnEnded(member: sam.account, outcome: .timedOut))
        #expect(fixture.log.last?.body == .turnBegan(member: kim.account, endsAt: fixture.now.adding(seconds: 100)))
        #expect(fixture.log.last?.actor == nil)
    }

    @Test func extendingNeedsATimedTurn() throws {
        var fixture = try started()
        #expect(fixture.refusal(.extendTurn(seconds: 60), by: owner) == .badField)
        var timed = try started(turnSeconds: 60)
        #expect(timed.refusal(.extendTurn(seconds: 5), by: owner) == .badField)
        #expect(timed.refusal(.extendTurn(seconds: 60), by: sam) == .forbidden)
    }

    @Test func closingEarlyMarksWhoWasNotReached() throws {
        var fixture = try started()
        try fixture.run(.checkIn(CheckIn()), by: sam)
        try fixture.run(.closeRound, by: owner)
        guard case .roundEnded(_, let summary, let early) = fixture.log.last?.body else {
            Issue.record("no summary")
            return
        }
        #expect(early)
        #expect(summary.map(\.outcome) == [.checkedIn, .notReached, .notReached])
        #expect(fixture.refusal(.closeRound, by: owner) == .noRound)
    }

    @Test func closingTheSessionEndsTheRoundAndMarksWhoNeverCame() throws {
        var fixture = try started()
        try fixture.run(.arrive, by: sam)
        fixture.now = fixture.now.adding(seconds: 601)
        try fixture.run(.arrive, by: kim)
        #expect(try fixture.run(.arrive, by: kim) == .append([]))
        let before = fixture.log.count
        try fixture.run(.closeSession, by: owner)
        #expect(fixture.kinds(since: before) == ["round_ended", "attendance_set", "session_closed"])
        #expect(fixture.state.records[sam.account]?.attendance[1] == .present)
        #expect(fixture.state.records[kim.account]?.attendance[1] == .late)
        #expect(fixture.state.records[lee.account]?.attendance[1] == .absent)
        try fixture.run(.setAttendance(member: lee.account, status: .excused), by: owner)
        #expect(fixture.state.records[lee.account]?.attendance[1] == .excused)
    }

    @Test func listedAndRandomOrdersUseTheGivenList() throws {
        var fixture = try RoomFixture.ready(members: [sam, kim, lee], open: true)
        let listed = [lee.account, sam.account]
        #expect(
            fixture.refusal(
                .startRound(
                    kind: .checkIn, prompt: "x", order: .listed, listed: nil, turnSeconds: nil, instrument: nil),
                by: owner) == .missingField)
        #expect(
            fixture.refusal(
                .startRound(
                    kind: .checkIn, prompt: "x", order: .listed, listed: [owner.account], turnSeconds: nil,
                    instrument: nil), by: owner) == .noSuchMember)
        #expect(
            fixture.refusal(
                .startRound(
                    kind: .checkIn, prompt: "x", order: .joined, listed: nil, turnSeconds: nil, instrument: "ors"),
                by: owner) == .badField)
        try fixture.run(
            .startRound(
                kind: .checkOut, prompt: "One word?", order: .listed, listed: listed, turnSeconds: nil, instrument: nil),
            by: owner)
        #expect(fixture.state.round?.current == lee.account && fixture.state.round?.queue == [sam.account])
    }

    @Test func aRoundReplaysFromTheLog() throws {
        var fixture = try started(turnSeconds: 60)
        try fixture.run(.skipTurn, by: owner)
        try fixture.run(.away(member: kim.account), by: owner)
        fixture.now = fixture.now.adding(seconds: 50)
        try fixture.run(.tick, by: owner)
        var replayed = RoomState(id: fixture.state.id)
        for event in fixture.log { replayed.apply(event) }
        #expect(replayed == fixture.state)
        #expect(replayed.round?.awayOnce == [kim.account])
    }
}

/// "Is this member banned now?" has one answer, and a timed ban that has run out holds nothing.
@Suite struct BanExpiryTests {
    @Test func aMemberWhoseTimedBanEndedTakesPartInRoundsAgain() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam, RoomFixture.kim], open: true)
        try fixture.run(.ban(member: RoomFixture.kim.account, seconds: 60, reason: "a break"), by: RoomFixture.owner)
        #expect(fixture.state.roundParticipants(at: fixture.now) == [RoomFixture.sam.account])
        #expect(
            fixture.refusal(.say(text: "still here?", clientID: nil), by: RoomFixture.kim) == .banned)
        fixture.now = fixture.now.adding(seconds: 61)
        #expect(!fixture.state.isBanned(RoomFixture.kim.account, at: fixture.now))
        #expect(fixture.state.activeBan(of: RoomFixture.kim.account, at: fixture.now) == nil)
        try fixture.run(
            .startRound(
                kind: .checkIn, prompt: "How was your week?", order: .joined, listed: nil, turnSeconds: nil,
                instrument: nil), by: RoomFixture.owner)
        #expect(fixture.state.round?.current == RoomFixture.sam.account)
        #expect(fixture.state.round?.queue == [RoomFixture.kim.account])
        // A listed order may name them again too.
        try fixture.run(.closeRound, by: RoomFixture.owner)
        try fixture.run(
            .startRound(
                kind: .checkOut, prompt: "One word?", order: .listed, listed: [RoomFixture.kim.account],
                turnSeconds: nil, instrument: nil), by: RoomFixture.owner)
        #expect(fixture.state.round?.current == RoomFixture.kim.account)
    }
}
