import CircleCore
import Testing

@Suite struct AgreementsTests {
    @Test func aNewRoomStartsWithTheDefaultAgreements() throws {
        let fixture = try RoomFixture.ready()
        #expect(fixture.state.agreementsVersion == 1)
        #expect(fixture.state.agreementsText.contains("not legally bound"))
        #expect(fixture.log.prefix(2).map(\.seq) == [1, 2])
        #expect(fixture.log[1].body == .agreementsSet(version: 1, text: Agreements.defaultText))
    }

    @Test func participantsAcceptBeforeTheirFirstMessage() throws {
        var fixture = try RoomFixture.ready(open: true)
        try fixture.run(.redeem(invite: RoomFixture.invite, name: "Sam"), by: RoomFixture.sam)
        #expect(fixture.refusal(.say(text: "hi", clientID: nil), by: RoomFixture.sam) == .agreementsNotAccepted)
        try fixture.run(.acceptAgreements(version: 1), by: RoomFixture.sam)
        #expect(fixture.log.last?.body == .agreementsAccepted(version: 1))
        #expect(fixture.refusal(.say(text: "hi", clientID: nil), by: RoomFixture.sam) == nil)
    }

    @Test func facilitatorsAreNeverHeldBack() throws {
        var fixture = try RoomFixture.ready(open: true)
        #expect(fixture.refusal(.say(text: "Welcome", clientID: nil), by: RoomFixture.owner) == nil)
    }

    @Test func changedAgreementsMustBeAcceptedAgain() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam], open: true)
        #expect(fixture.refusal(.setAgreements(text: "Be kind."), by: RoomFixture.sam) == .forbidden)
        try fixture.run(.setAgreements(text: "Be kind. Pass when you like."), by: RoomFixture.owner)
        #expect(fixture.state.agreementsVersion == 2)
        #expect(fixture.refusal(.say(text: "hi", clientID: nil), by: RoomFixture.sam) == .agreementsNotAccepted)
        #expect(fixture.refusal(.acceptAgreements(version: 1), by: RoomFixture.sam) == .agreementsChanged)
        try fixture.run(.acceptAgreements(version: 2), by: RoomFixture.sam)
        #expect(fixture.refusal(.acceptAgreements(version: 2), by: RoomFixture.sam) == .badField)
        #expect(fixture.refusal(.say(text: "hi", clientID: nil), by: RoomFixture.sam) == nil)
        #expect(fixture.refusal(.setAgreements(text: "  "), by: RoomFixture.owner) == .textInvalid)
    }

    @Test func askingForHelpAlwaysWorksAndReachesOnlyFacilitators() throws {
        var fixture = try RoomFixture.ready()
        try fixture.run(.redeem(invite: RoomFixture.invite, name: "Sam"), by: RoomFixture.sam)
        // No session open and the agreements not yet accepted: still allowed.
        try fixture.run(.requestHelp(note: "I'm not safe tonight"), by: RoomFixture.sam)
        #expect(fixture.log.last?.audience == .facilitators)
        #expect(fixture.log.last?.body == .helpRequested(note: "I'm not safe tonight"))
        #expect(fixture.refusal(.requestHelp(note: "bell\u{07}"), by: RoomFixture.sam) == .textInvalid)
        // A note is one line, but line breaks never cost a request for help.
        try fixture.run(.requestHelp(note: "please\ncall me"), by: RoomFixture.sam)
        #expect(fixture.log.last?.body == .helpRequested(note: "please call me"))
    }

    @Test func aRiskPhraseAlertsFacilitatorsAndShowsTheMemberTheCrisisCard() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam], open: true)
        let before = fixture.log.count
        try fixture.run(.say(text: "Honestly, some nights I WANT TO DIE.", clientID: nil), by: RoomFixture.sam)
        let added = Array(fixture.log[before...])
        #expect(added.count == 3)
        #expect(added.map(\.seq) == [added[0].seq, added[0].seq + 1, added[0].seq + 2])
        #expect(added[0].audience == .room)
        #expect(added[1].body == .riskAlert(message: added[0].seq, phrase: "want to die"))
        #expect(added[1].audience == .facilitators)
        #expect(added[2].body == .crisisCard(text: SafetySettings.standard.crisisText))
        #expect(added[2].audience == .member(RoomFixture.sam.account))
    }

    @Test func riskPhrasesMatchWholeWordsOnly() {
        let safety = SafetySettings.standard
        #expect(safety.riskPhrase(in: "I've been suicidal before") == "suicidal")
        #expect(safety.riskPhrase(in: "thinking about self-harm again") == "self-harm")
        #expect(safety.riskPhrase(in: "I can’t go on like this") == "can't go on")
        #expect(safety.riskPhrase(in: "the killer whales documentary") == nil)
        #expect(safety.riskPhrase(in: "a good week") == nil)
        let site = SafetySettings(crisisText: "Call us.", riskPhrases: ["Hopeless"])
        #expect(site.riskPhrase(in: "I feel hopeless.") == "hopeless")
    }

    @Test func aMutedMemberIsRefusedWithTheTimeLeftUntilItRunsOut() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam], open: true)
        let sam = RoomFixture.sam.account
        #expect(fixture.refusal(.mute(member: sam, seconds: 600, reason: "x"), by: RoomFixture.kim) == .notAMember)
        #expect(
            fixture.refusal(.mute(member: RoomFixture.owner.account, seconds: 60, reason: "x"), by: RoomFixture.owner)
                == .forbidden)
        try fixture.run(.mute(member: sam, seconds: 600, reason: "Let's give others a turn."), by: RoomFixture.owner)
        do {
            try fixture.run(.say(text: "but", clientID: nil), by: RoomFixture.sam)
            Issue.record("a muted member spoke")
        } catch {
            #expect(error.code == .muted)
            #expect(error.message.contains("10 min"))
            #expect(error.message.contains("Let's give others a turn."))
        }
        fixture.now = fixture.now.adding(seconds: 601)
        #expect(fixture.refusal(.say(text: "back", clientID: nil), by: RoomFixture.sam) == nil)
        try fixture.run(.mute(member: sam, seconds: nil, reason: "Please pause."), by: RoomFixture.owner)
        #expect(fixture.refusal(.say(text: "x", clientID: nil), by: RoomFixture.sam) == .muted)
        try fixture.run(.unmute(member: sam), by: RoomFixture.owner)
        #expect(fixture.refusal(.unmute(member: sam), by: RoomFixture.owner) == .badField)
        #expect(fixture.refusal(.say(text: "thanks", clientID: nil), by: RoomFixture.sam) == nil)
    }

    @Test func acceptancesReplayFromTheLog() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam, RoomFixture.kim])
        try fixture.run(.setAgreements(text: "v2"), by: RoomFixture.owner)
        try fixture.run(.acceptAgreements(version: 2), by: RoomFixture.kim)
        var replayed = RoomState(id: fixture.state.id)
        for event in fixture.log { replayed.apply(event) }
        #expect(replayed == fixture.state)
        #expect(replayed.mustAcceptAgreements(RoomFixture.sam.account))
        #expect(!replayed.mustAcceptAgreements(RoomFixture.kim.account))
    }
}
