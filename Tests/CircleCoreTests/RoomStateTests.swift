import CircleCore
import Testing

@Suite struct RoomLifecycleTests {
    @Test func createdRoomHasItsOwnerAsFacilitator() throws {
        let fixture = try RoomFixture.ready()
        #expect(fixture.state.exists)
        #expect(fixture.state.name == "Tuesday group")
        #expect(fixture.state.role(of: RoomFixture.owner.account) == .facilitator)
        #expect(fixture.state.members[RoomFixture.owner.account]?.name == "Dana")
    }

    @Test func creatingARoomTwiceIsAnInternalErrorNotASecondRoom() throws {
        // The server makes room ids at random; a clash is its bug, not the caller's.
        var fixture = try RoomFixture.ready()
        #expect(fixture.refusal(.create(name: "Again", ownerName: "Dana"), by: RoomFixture.owner) == .internalError)
    }

    @Test func sequenceNumbersStartAtOneAndHaveNoGaps() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam], open: true)
        for index in 0..<20 { try fixture.run(.say(text: "line \(index)", clientID: nil), by: RoomFixture.sam) }
        #expect(fixture.log.map(\.seq) == Array(1...Int64(fixture.log.count)))
        #expect(fixture.state.lastSeq == Int64(fixture.log.count))
    }

    @Test func replayingTheLogRebuildsTheSameState() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam, RoomFixture.kim], open: true)
        try fixture.run(.say(text: "hello", clientID: "c1"), by: RoomFixture.sam)
        try fixture.run(.closeSession, by: RoomFixture.owner)
        try fixture.run(.openSession, by: RoomFixture.owner)
        var replayed = RoomState(id: fixture.state.id)
        for event in fixture.log { replayed.apply(event) }
        #expect(replayed == fixture.state)
    }

    @Test func sessionsOpenAndCloseInTurn() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam])
        #expect(fixture.refusal(.closeSession, by: RoomFixture.owner) == .noOpenSession)
        try fixture.run(.openSession, by: RoomFixture.owner)
        #expect(fixture.state.openSession == 1)
        #expect(fixture.log.last?.session == 1)
        #expect(fixture.refusal(.openSession, by: RoomFixture.owner) == .sessionAlreadyOpen)
        try fixture.run(.say(text: "in session 1", clientID: nil), by: RoomFixture.sam)
        #expect(fixture.log.last?.session == 1)
        try fixture.run(.closeSession, by: RoomFixture.owner)
        #expect(fixture.state.openSession == nil)
        #expect(fixture.log.last?.body == .sessionClosed(number: 1))
        try fixture.run(.openSession, by: RoomFixture.owner)
        #expect(fixture.state.openSession == 2)
        #expect(fixture.state.sessionStartSeq == fixture.log.last?.seq)
    }

    @Test func messagesWaitForAnOpenSession() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam])
        #expect(fixture.refusal(.say(text: "anyone?", clientID: nil), by: RoomFixture.sam) == .noOpenSession)
    }

    @Test func commandsForARoomThatDoesNotExistAreRefused() {
        var fixture = RoomFixture()
        #expect(fixture.refusal(.openSession, by: RoomFixture.owner) == .noSuchRoom)
    }

    @Test func onlyFacilitatorAccountsCreateRooms() {
        var fixture = RoomFixture()
        #expect(fixture.refusal(.create(name: "Mine", ownerName: "Sam"), by: RoomFixture.sam) == .forbidden)
    }
}

@Suite struct InviteTests {
    @Test func anInviteAdmitsAsManyPeopleAsItsUses() throws {
        var fixture = try RoomFixture.ready()
        let single = InviteID("i-single")
        try fixture.run(.createInvite(invite: single, uses: 1, expiresAt: nil), by: RoomFixture.owner)
        #expect(fixture.log.last?.audience == .facilitators)
        try fixture.run(.redeem(invite: single, name: "Sam"), by: RoomFixture.sam)
        #expect(fixture.refusal(.redeem(invite: single, name: "Kim"), by: RoomFixture.kim) == .inviteUsedUp)
        #expect(fixture.state.invites[single]?.used == 1)
    }

    @Test func anExpiredInviteIsRefused() throws {
        var fixture = try RoomFixture.ready()
        fixture.now = fixture.now.adding(seconds: 3601)
        #expect(
            fixture.refusal(.redeem(invite: RoomFixture.invite, name: "Sam"), by: RoomFixture.sam) == .inviteExpired)
    }

    @Test func unknownInvitesAndRepeatMembersAreRefused() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam])
        #expect(fixture.refusal(.redeem(invite: InviteID("i-x"), name: "Pat"), by: RoomFixture.kim) == .badInvite)
        #expect(
            fixture.refusal(.redeem(invite: RoomFixture.invite, name: "Sammy"), by: RoomFixture.sam) == .alreadyMember)
    }

    @Test func namesAreUniqueInARoomIgnoringCase() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam])
        #expect(fixture.refusal(.redeem(invite: RoomFixture.invite, name: "  sam "), by: RoomFixture.kim) == .nameTaken)
        #expect(fixture.refusal(.redeem(invite: RoomFixture.invite, name: "dana"), by: RoomFixture.kim) == .nameTaken)
    }

    @Test func invitesNeedSensibleUsesAndAFutureExpiry() throws {
        var fixture = try RoomFixture.ready()
        #expect(
            fixture.refusal(.createInvite(invite: InviteID("a"), uses: 0, expiresAt: nil), by: RoomFixture.owner)
                == .badField)
        #expect(
            fixture.refusal(
                .createInvite(invite: InviteID("b"), uses: 1, expiresAt: fixture.now), by: RoomFixture.owner)
                == .badField)
    }

    @Test func joinedMembersAreParticipantsInJoinOrder() throws {
        let fixture = try RoomFixture.ready(members: [RoomFixture.kim, RoomFixture.sam])
        #expect(
            fixture.state.memberOrder == [RoomFixture.owner.account, RoomFixture.kim.account, RoomFixture.sam.account])
        #expect(fixture.state.role(of: RoomFixture.sam.account) == .participant)
    }
}

@Suite struct IdempotencyTests {
    @Test func aResentMessageIsStoredOnce() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam], open: true)
        let first = try fixture.run(.say(text: "hello", clientID: "c-1"), by: RoomFixture.sam)
        let count = fixture.log.count
        let again = try fixture.run(.say(text: "hello", clientID: "c-1"), by: RoomFixture.sam)
        guard case .append(let events) = first else {
            Issue.record("first send was not appended")
            return
        }
        #expect(again == .duplicate(of: events[0].seq))
        #expect(fixture.log.count == count)
    }

    @Test func clientIDsBelongToTheirSender() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam, RoomFixture.kim], open: true)
        try fixture.run(.say(text: "mine", clientID: "c-1"), by: RoomFixture.sam)
        let other = try fixture.run(.say(text: "also mine", clientID: "c-1"), by: RoomFixture.kim)
        if case .duplicate = other { Issue.record("another member's client id was treated as a repeat") }
    }

    @Test func theWindowOfRememberedIDsIsBounded() {
        var recent = RecentClientIDs()
        for index in 0..<(RecentClientIDs.capacity + 10) { recent.remember("c\(index)", seq: Int64(index)) }
        #expect(recent.seq(for: "c0") == nil)
        #expect(recent.seq(for: "c10") == 10)
        #expect(recent.seq(for: "c\(RecentClientIDs.capacity + 9)") == Int64(RecentClientIDs.capacity + 9))
    }
}

@Suite struct AudienceTests {
    @Test func audiencesAdmitTheRightPeople() {
        let sam = AccountID("u-sam")
        #expect(Audience.room.admits(sam, role: .observer))
        #expect(!Audience.facilitators.admits(sam, role: .participant))
        #expect(Audience.facilitators.admits(sam, role: .coFacilitator))
        #expect(Audience.member(sam).admits(sam, role: .participant))
        #expect(!Audience.member(sam).admits(AccountID("u-other"), role: .facilitator))
        #expect(Audience.facilitatorsAnd(sam).admits(sam, role: .participant))
        #expect(Audience.facilitatorsAnd(sam).admits(AccountID("u-dana"), role: .facilitator))
        #expect(!Audience.facilitatorsAnd(sam).admits(AccountID("u-kim"), role: .participant))
        let pair = Audience.pair(sam, AccountID("u-kim"))
        #expect(pair == Audience.pair(AccountID("u-kim"), sam))
        #expect(pair.admits(sam, role: .participant) && pair.admits(AccountID("u-kim"), role: .participant))
        #expect(!pair.admits(AccountID("u-dana"), role: .facilitator))
    }

    @Test func audiencesRoundTripThroughText() {
        let audiences: [Audience] = [
            .room, .facilitators, .member(AccountID("u-1")), .facilitatorsAnd(AccountID("u-1")),
            .pair(AccountID("u-2"), AccountID("u-1")),
        ]
        for audience in audiences {
            #expect(Audience(audience.description) == audience)
        }
        #expect(Audience("member:") == nil)
        #expect(Audience("everyone") == nil)
        #expect(Audience("member:a+member:a") == nil)
        #expect(Audience("member:a+member:b+member:c") == nil)
        #expect(Audience("facilitators+") == nil)
    }
}
