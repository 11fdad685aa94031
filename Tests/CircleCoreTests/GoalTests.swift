import CircleCore
import Testing

@Suite struct GoalTests {
    let owner = RoomFixture.owner
    let sam = RoomFixture.sam
    let kim = RoomFixture.kim

    func goal(_ fixture: inout RoomFixture, _ text: String, visibility: Goal.Visibility = .group) throws -> GoalID {
        try fixture.run(
            .setGoal(member: sam.account, text: text, horizon: .short, target: nil, visibility: visibility), by: sam)
        guard case .goalSet(let goal) = fixture.log.last?.body else { throw CircleError(.internalError, "no goal") }
        return goal.id
    }

    @Test func aMemberKeepsUpToTheRoomsLimitOfActiveGoals() throws {
        var fixture = try RoomFixture.ready(members: [sam, kim])
        let first = try goal(&fixture, "Walk three times a week")
        _ = try goal(&fixture, "Call my sister")
        _ = try goal(&fixture, "Sleep by eleven")
        do {
            _ = try goal(&fixture, "One more")
            Issue.record("a fourth goal was accepted")
        } catch let error as CircleError {
            #expect(error.code == .tooManyGoals && error.message.contains("Keep it simple"))
        }
        try fixture.run(.setGoalStatus(goal: first, status: .achieved, reason: "Did it for a month"), by: sam)
        _ = try goal(&fixture, "One more")
        #expect(fixture.refusal(.setGoalStatus(goal: first, status: .active, reason: nil), by: sam) == .tooManyGoals)
        try fixture.run(.configure(maxGoals: 4, crossTalk: nil), by: owner)
        try fixture.run(.setGoalStatus(goal: first, status: .active, reason: nil), by: sam)
        #expect(fixture.state.activeGoals(of: sam.account).count == 4)
    }

    @Test func revisionsKeepTheEarlierWordingAndTheReason() throws {
        var fixture = try RoomFixture.ready(members: [sam, kim])
        let id = try goal(&fixture, "Run a marathon")
        try fixture.run(
            .reviseGoal(
                goal: id, text: "Run 5 km", horizon: .long, target: "2027-03-01", visibility: nil,
                reason: "My knee needs time"), by: sam)
        let revised = try #require(fixture.state.goals[id])
        #expect(revised.text == "Run 5 km" && revised.horizon == .long && revised.target == "2027-03-01")
        #expect(revised.history.map(\.text) == ["Run a marathon"])
        #expect(revised.history.map(\.reason) == ["My knee needs time"])
        #expect(
            fixture.refusal(
                .reviseGoal(goal: id, text: "x", horizon: nil, target: nil, visibility: nil, reason: "x"), by: kim)
                == .noSuchGoal)
        #expect(
            fixture.refusal(
                .reviseGoal(goal: id, text: nil, horizon: nil, target: "2027-02-30", visibility: nil, reason: "x"),
                by: sam) == .badField)
        // A facilitator may revise it with the member.
        try fixture.run(
            .reviseGoal(
                goal: id, text: nil, horizon: nil, target: "", visibility: .facilitators, reason: "Private now"),
            by: owner)
        #expect(fixture.state.goals[id]?.target == nil)
        #expect(fixture.state.goals[id]?.visibility == .facilitators)
    }

    @Test func facilitatorsOnlyGoalsAreNotForTheGroup() throws {
        var fixture = try RoomFixture.ready(members: [sam, kim])
        _ = try goal(&fixture, "Drink less", visibility: .facilitators)
        #expect(fixture.log.last?.audience == .facilitatorsAnd(sam.account))
        #expect(
            fixture.refusal(
                .setGoal(member: sam.account, text: "x", horizon: .short, target: nil, visibility: .group), by: kim)
                == .forbidden)
    }

    @Test func membersProposeSharedGoalsAndFacilitatorsDecide() throws {
        var fixture = try RoomFixture.ready(members: [sam, kim])
        try fixture.run(.addSharedGoal(text: "Start on time"), by: owner)
        try fixture.run(.addSharedGoal(text: "Phones away"), by: kim)
        #expect(fixture.state.sharedGoals.map(\.status) == [.active, .proposed])
        let proposal = fixture.state.sharedGoals[1].id
        #expect(fixture.refusal(.decideSharedGoal(goal: proposal, accept: true, reason: nil), by: kim) == .forbidden)
        try fixture.run(.decideSharedGoal(goal: proposal, accept: true, reason: nil), by: owner)
        #expect(fixture.state.sharedGoals[1].status == .active)
        #expect(fixture.refusal(.decideSharedGoal(goal: proposal, accept: false, reason: nil), by: owner) == .badField)
    }

    @Test func checkInsRateEveryActiveGoalWithinRange() throws {
        var fixture = try RoomFixture.ready(members: [sam, kim], open: true)
        let walk = try goal(&fixture, "Walk")
        let drink = try goal(&fixture, "Drink less", visibility: .facilitators)
        try fixture.run(
            .startRound(
                kind: .checkIn, prompt: "Week?", order: .joined, listed: nil, turnSeconds: nil, instrument: "phq9"),
            by: owner)
        let good = CheckIn(
            ratings: [.init(goal: walk, progress: 6, gas: 1), .init(goal: drink, progress: 3)],
            answers: [0, 1, 1, 0, 0, 0, 0, 0, 1], note: "ok", kept: nil, commitment: "Walk Monday")
        var missing = good
        missing.ratings.removeLast()
        #expect(fixture.refusal(.checkIn(missing), by: sam) == .missingField)
        var outOfRange = good
        outOfRange.ratings[0].progress = 11
        #expect(fixture.refusal(.checkIn(outOfRange), by: sam) == .badField)
        var noAnswers = good
        noAnswers.answers = nil
        #expect(fixture.refusal(.checkIn(noAnswers), by: sam) == .missingField)
        let before = fixture.log.count
        try fixture.run(.checkIn(good), by: sam)
        #expect(fixture.kinds(since: before).prefix(3) == ["check_in", "check_in_private", "instrument_alert"])
        let shared = fixture.log[before]
        #expect(shared.audience == .room)
        guard case .checkInRecorded(_, let publicPart) = shared.body,
            case .checkInPrivate(_, let privatePart) = fixture.log[before + 1].body
        else {
            Issue.record("check-in events missing")
            return
        }
        #expect(publicPart.ratings.map(\.goal) == [walk] && publicPart.answers == nil)
        #expect(privatePart.ratings.map(\.goal) == [drink] && privatePart.score == 3)
        #expect(fixture.log[before + 1].audience == .facilitatorsAnd(sam.account))
        #expect(fixture.log[before + 2].audience == .facilitators)
        #expect(fixture.log[before + 2].body == .instrumentAlert(member: sam.account, instrument: "phq9", items: [9]))
        let entry = try #require(fixture.state.records[sam.account]?.checkIns.last)
        #expect(entry.checkIn.ratings.count == 2 && entry.checkIn.score == 3)
    }
}
