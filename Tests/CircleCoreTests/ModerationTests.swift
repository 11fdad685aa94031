import CircleCore
import Testing

@Suite struct ModerationTests {
    let sam = RoomFixture.sam.account
    let kim = RoomFixture.kim.account
    let owner = RoomFixture.owner

    @Test func invitesCarryTheRoleTheirHoldersJoinWith() throws {
        var fixture = try RoomFixture.ready()
        let watch = InviteID("i-watch")
        try fixture.run(.createInvite(invite: watch, uses: 1, expiresAt: nil, role: .observer), by: owner)
        try fixture.run(.redeem(invite: watch, name: "Trainee"), by: RoomFixture.kim)
        #expect(fixture.state.role(of: kim) == .observer)
        try fixture.run(.openSession, by: owner)
        try fixture.run(.acceptAgreements(version: 1), by: RoomFixture.kim)
        #expect(fixture.refusal(.say(text: "hi", clientID: nil), by: RoomFixture.kim) == .forbidden)
        #expect(
            fixture.refusal(
                .createInvite(invite: InviteID("x"), uses: 1, expiresAt: nil, role: .facilitator), by: owner)
                == .badField)
    }

    @Test func onlyTheFacilitatorChangesRolesAndNeverTheirOwn() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam, RoomFixture.kim])
        try fixture.run(.setRole(member: sam, role: .coFacilitator), by: owner)
        #expect(fixture.state.role(of: sam) == .coFacilitator)
        // A co-facilitator moderates but does not hand out roles.
        #expect(fixture.refusal(.setRole(member: kim, role: .observer), by: RoomFixture.sam) == .forbidden)
        #expect(fixture.refusal(.setRole(member: owner.account, role: .participant), by: owner) == .forbidden)
        #expect(fixture.refusal(.setRole(member: kim, role: .facilitator), by: owner) == .badField)
        #expect(fixture.refusal(.setRole(member: kim, role: .participant), by: owner) == .badField)
        #expect(fixture.refusal(.setRole(member: AccountID("u-nobody"), role: .observer), by: owner) == .noSuchMember)
        try fixture.run(.kick(member: kim, reason: "Take a breath."), by: RoomFixture.sam)
    }

    @Test func aBanKeepsAMemberOutUntilItEndsOrIsLifted() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam], open: true)
        #expect(fixture.refusal(.ban(member: owner.account, seconds: nil, reason: "x"), by: owner) == .forbidden)
        #expect(fixture.refusal(.ban(member: sam, seconds: 0, reason: "x"), by: owner) == .badField)
        try fixture.run(.ban(member: sam, seconds: 3600, reason: "Threats are not okay."), by: owner)
        do {
            try fixture.run(.requestHelp(note: nil), by: RoomFixture.sam)
            Issue.record("a banned member acted")
        } catch {
            #expect(error.code == .banned)
            #expect(error.message.contains("60 min") && error.message.contains("Threats are not okay."))
        }
        fixture.now = fixture.now.adding(seconds: 3601)
        #expect(fixture.refusal(.say(text: "back", clientID: nil), by: RoomFixture.sam) == nil)
        try fixture.run(.ban(member: sam, seconds: nil, reason: "Again."), by: owner)
        #expect(fixture.refusal(.say(text: "x", clientID: nil), by: RoomFixture.sam) == .banned)
        try fixture.run(.unban(member: sam), by: owner)
        #expect(fixture.refusal(.unban(member: sam), by: owner) == .badField)
        #expect(fixture.refusal(.say(text: "thanks", clientID: nil), by: RoomFixture.sam) == nil)
    }

    @Test func aTimedBanEndsWithAnEventAtTheRoomsNextWake() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam], open: true)
        #expect(fixture.state.nextWake == nil)
        try fixture.run(.ban(member: sam, seconds: 60, reason: "A pause."), by: owner)
        let end = fixture.now.adding(seconds: 60)
        #expect(fixture.state.nextWake == end)
        fixture.now = fixture.now.adding(seconds: 30)
        #expect(try fixture.run(.tick, by: owner) == .append([]))
        fixture.now = end
        try fixture.run(.tick, by: owner)
        #expect(fixture.log.last?.body == .memberUnbanned(member: sam))
        #expect(fixture.log.last?.actor == nil)
        #expect(fixture.state.banned[sam] == nil && fixture.state.nextWake == nil)
        // A ban until lifted wakes no one.
        try fixture.run(.ban(member: sam, seconds: nil, reason: "Again."), by: owner)
        #expect(fixture.state.nextWake == nil)
    }

    @Test func aRemovedMessageIsRecordedOnceForWhoeverCouldReadIt() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam], open: true)
        let said = try fixture.run(.say(text: "Kim's address is ...", clientID: nil), by: RoomFixture.sam).seq
        try fixture.run(
            .removeMessage(seq: said, author: sam, audience: .room, reason: "No addresses, please."), by: owner)
        #expect(fixture.state.removedMessages == [said])
        #expect(
            fixture.log.last?.body == .messageRemoved(message: said, author: sam, reason: "No addresses, please."))
        #expect(
            fixture.refusal(.removeMessage(seq: said, author: sam, audience: .room, reason: "x"), by: owner)
                == .badField)
        #expect(
            fixture.refusal(.removeMessage(seq: 999, author: sam, audience: .room, reason: "x"), by: owner)
                == .noSuchMessage)
        #expect(
            fixture.refusal(.removeMessage(seq: said, author: sam, audience: .room, reason: "x"), by: RoomFixture.sam)
                == .forbidden)
    }

    @Test func aLockedRoomTakesNoNewMembers() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam])
        try fixture.run(.lock, by: owner)
        #expect(fixture.refusal(.lock, by: owner) == .badField)
        #expect(fixture.refusal(.redeem(invite: RoomFixture.invite, name: "Kim"), by: RoomFixture.kim) == .roomLocked)
        try fixture.run(.unlock, by: owner)
        #expect(fixture.refusal(.redeem(invite: RoomFixture.invite, name: "Kim"), by: RoomFixture.kim) == nil)
    }

    @Test func theTopicIsOneShortLine() throws {
        var fixture = try RoomFixture.ready()
        try fixture.run(.setTopic(text: "  Sleep and routines "), by: owner)
        #expect(fixture.state.topic == "Sleep and routines")
        #expect(fixture.refusal(.setTopic(text: "two\nlines"), by: owner) == .textInvalid)
        #expect(fixture.refusal(.setTopic(text: String(repeating: "x", count: 201)), by: owner) == .textInvalid)
        try fixture.run(.setTopic(text: ""), by: owner)
        #expect(fixture.state.topic.isEmpty)
    }

    @Test func raisedHandsGiveATimedTurnAfterWhichTheFloorReturns() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam, RoomFixture.kim], open: true)
        #expect(fixture.refusal(.raiseHand, by: RoomFixture.sam) == .badField)
        try fixture.run(.setFloor(mode: .hands, seconds: nil), by: owner)
        #expect(fixture.refusal(.say(text: "me", clientID: nil), by: RoomFixture.sam) == .floorClosed)
        #expect(fixture.refusal(.say(text: "facilitators may", clientID: nil), by: owner) == nil)
        try fixture.run(.raiseHand, by: RoomFixture.sam)
        try fixture.run(.raiseHand, by: RoomFixture.kim)
        #expect(fixture.refusal(.raiseHand, by: RoomFixture.sam) == .badField)
        #expect(fixture.state.floor.hands == [sam, kim])
        #expect(fixture.refusal(.giveFloor(member: sam, seconds: 60), by: RoomFixture.kim) == .forbidden)
        try fixture.run(.giveFloor(member: sam, seconds: 60), by: owner)
        #expect(fixture.state.floor.hands == [kim])
        #expect(fixture.refusal(.say(text: "thank you", clientID: nil), by: RoomFixture.sam) == nil)
        #expect(fixture.refusal(.say(text: "me too", clientID: nil), by: RoomFixture.kim) == .floorClosed)
        fixture.now = fixture.now.adding(seconds: 60)
        #expect(fixture.refusal(.say(text: "and one more", clientID: nil), by: RoomFixture.sam) == .floorClosed)
        #expect(fixture.refusal(.lowerHand(member: kim), by: RoomFixture.sam) == .forbidden)
        try fixture.run(.lowerHand(member: kim), by: RoomFixture.kim)
        #expect(fixture.state.floor.hands.isEmpty)
    }

    @Test func theTalkingPiecePassesOnItsHoldersOrAFacilitatorsWord() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam, RoomFixture.kim], open: true)
        try fixture.run(.setFloor(mode: .piece, seconds: nil), by: owner)
        #expect(fixture.refusal(.giveFloor(member: kim, seconds: nil), by: RoomFixture.sam) == .forbidden)
        try fixture.run(.giveFloor(member: sam, seconds: nil), by: owner)
        #expect(fixture.refusal(.say(text: "mine", clientID: nil), by: RoomFixture.sam) == nil)
        #expect(fixture.refusal(.say(text: "not yet", clientID: nil), by: RoomFixture.kim) == .floorClosed)
        try fixture.run(.giveFloor(member: kim, seconds: nil), by: RoomFixture.sam)
        #expect(fixture.refusal(.say(text: "gone", clientID: nil), by: RoomFixture.sam) == .floorClosed)
        #expect(fixture.refusal(.say(text: "now me", clientID: nil), by: RoomFixture.kim) == nil)
        #expect(fixture.refusal(.giveFloor(member: sam, seconds: 30), by: owner) == .badField)
        try fixture.run(.setFloor(mode: .open, seconds: nil), by: owner)
        #expect(fixture.refusal(.say(text: "open again", clientID: nil), by: RoomFixture.sam) == nil)
    }

    @Test func slowModeSpacesEachMembersMessages() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam], open: true)
        #expect(fixture.refusal(.setFloor(mode: .slow, seconds: nil), by: owner) == .badField)
        #expect(fixture.refusal(.setFloor(mode: .open, seconds: 5), by: owner) == .badField)
        try fixture.run(.setFloor(mode: .slow, seconds: 30), by: owner)
        try fixture.run(.say(text: "one", clientID: nil), by: RoomFixture.sam)
        fixture.now = fixture.now.adding(seconds: 10)
        do {
            try fixture.run(.say(text: "two", clientID: nil), by: RoomFixture.sam)
            Issue.record("slow mode let a message through")
        } catch {
            #expect(error.code == .slowMode && error.message.contains("20 s"))
        }
        fixture.now = fixture.now.adding(seconds: 20)
        #expect(fixture.refusal(.say(text: "two", clientID: nil), by: RoomFixture.sam) == nil)
    }

    @Test func membersWriteToEachOtherOnlyWhenAllowedButAlwaysToTheFacilitators() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam, RoomFixture.kim])
        #expect(
            fixture.refusal(.sayPrivately(to: kim, text: "hi", clientID: nil), by: RoomFixture.sam)
                == .directMessagesOff)
        try fixture.run(.mute(member: sam, seconds: nil, reason: "pause"), by: owner)
        try fixture.run(.sayPrivately(to: nil, text: "Can we talk?", clientID: nil), by: RoomFixture.sam)
        #expect(fixture.log.last?.audience == .facilitatorsAnd(sam))
        try fixture.run(.sayPrivately(to: sam, text: "Of course.", clientID: nil), by: owner)
        #expect(fixture.log.last?.audience == .facilitatorsAnd(sam))
        try fixture.run(.unmute(member: sam), by: owner)
        try fixture.run(.allowDirectMessages(true), by: owner)
        try fixture.run(.sayPrivately(to: kim, text: "hi", clientID: "c1"), by: RoomFixture.sam)
        #expect(fixture.log.last?.audience == .pair(sam, kim))
        #expect(
            try fixture.run(.sayPrivately(to: kim, text: "hi", clientID: "c1"), by: RoomFixture.sam).seq
                == fixture.log.last?.seq)
        #expect(fixture.refusal(.sayPrivately(to: sam, text: "me", clientID: nil), by: RoomFixture.sam) == .badField)
        // Private messages do not count against slow mode or the floor.
        #expect(fixture.state.lastSpoke[sam] == nil)
    }

    @Test func aSideRoomStartsOpenWithItsOneMemberAndNoAgreementsToAccept() throws {
        var side = RoomFixture()
        side.state = RoomState(id: RoomID("r-side"))
        try side.run(
            .createSide(parent: RoomID("r-1"), name: "Dana & Sam", ownerName: "Dana", member: sam, memberName: "Sam"),
            by: owner)
        #expect(side.state.parent == RoomID("r-1"))
        #expect(side.state.role(of: sam) == .participant)
        #expect(side.state.openSession == 1)
        #expect(side.refusal(.say(text: "thanks for this", clientID: nil), by: RoomFixture.sam) == nil)
        var replayed = RoomState(id: RoomID("r-side"))
        for event in side.log { replayed.apply(event) }
        #expect(replayed == side.state)
    }

    @Test func moderationReplaysFromTheLog() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam, RoomFixture.kim], open: true)
        try fixture.run(.setFloor(mode: .hands, seconds: nil), by: owner)
        try fixture.run(.raiseHand, by: RoomFixture.kim)
        try fixture.run(.giveFloor(member: sam, seconds: nil), by: owner)
        try fixture.run(.say(text: "hello", clientID: "c"), by: RoomFixture.sam)
        try fixture.run(.ban(member: kim, seconds: nil, reason: "x"), by: owner)
        try fixture.run(.setTopic(text: "Work"), by: owner)
        try fixture.run(.lock, by: owner)
        try fixture.run(.allowDirectMessages(true), by: owner)
        try fixture.run(.setRole(member: sam, role: .observer), by: owner)
        #expect(fixture.state.floor.holder == nil && fixture.state.floor.hands.isEmpty)
        var replayed = RoomState(id: fixture.state.id)
        for event in fixture.log { replayed.apply(event) }
        #expect(replayed == fixture.state)
    }
}
