import CircleClient
import CircleCore
import CircleProtocol
import CircleServer
import CircleStore
import CircleTestSupport
import Testing

/// Each moderation action end to end: a facilitator and members on real sockets.
@Suite struct ModerationOverTCPTests {
    /// The room with Dana (facilitator) joined, and Sam and Kim joined as members.
    struct Group {
        let server: TestServer
        let scenario: RoomScenario
        let sam: TestClient
        let kim: TestClient
        let samID: AccountID
        let kimID: AccountID
        var room: RoomID { scenario.room }
        var dana: TestClient { scenario.facilitator }

        static func start(clock: any Clock = SystemClock()) async throws -> Group {
            let server = try await TestServer.start(clock: clock)
            let scenario = try await RoomScenario.start(on: server)
            let (sam, _) = try await scenario.member("Sam")
            let (kim, _) = try await scenario.member("Kim")
            try await scenario.join(sam)
            try await scenario.join(kim)
            let joined = try await scenario.join(scenario.facilitator)
            let samID = try #require(joined.members.first { $0.name == "Sam" }?.id)
            let kimID = try #require(joined.members.first { $0.name == "Kim" }?.id)
            return Group(server: server, scenario: scenario, sam: sam, kim: kim, samID: samID, kimID: kimID)
        }

        func done() async throws {
            for client in [sam, kim, dana] { await client.close() }
            try await server.stop()
        }

        @discardableResult
        func act(_ client: TestClient, _ request: Request) async throws -> Int64 {
            let appended: Reply.Appended = try await client.request(request)
            return appended.seq
        }

        func auditActions() throws -> [AuditRecord.Action] {
            try server.store.auditEntries(room: room).map(\.record.action)
        }
    }

    @Test func aKickedMemberIsSentOutAndMayComeBack() async throws {
        let group = try await Group.start()
        let kicked = try await group.act(
            group.dana, .memberKick(.init(room: group.room, member: group.samID, reason: "Take a breather.")))
        try await group.sam.waitForEvent(seq: kicked)
        try await group.kim.waitUntil { $0.presence.contains { $0.member == group.samID && !$0.online } }
        // The others learn why before they see Sam go.
        #expect(group.kim.saw(eventSeq: kicked, beforeOffline: group.samID))
        let after = try await group.scenario.say(group.dana, "Let's go on.").seq
        try await group.kim.waitForEvent(seq: after)
        #expect(!group.sam.events.contains { $0.seq == after })
        #expect(
            await group.sam.refusal(
                .memberKick(.init(room: group.room, member: group.kimID, duration: 60, reason: "x"))) == .badField)
        // They may rejoin, and pick up where they left off.
        try await group.scenario.join(group.sam, since: kicked)
        try await group.sam.waitForEvent(seq: after)
        #expect(try group.auditActions().contains(.memberKicked))
        try await group.done()
    }

    @Test func aBannedMemberCannotJoinReadOrSpeakUntilUnbanned() async throws {
        let group = try await Group.start()
        let banned = try await group.act(
            group.dana, .memberBan(.init(room: group.room, member: group.samID, duration: 3600, reason: "Threats.")))
        try await group.sam.waitForEvent(seq: banned)
        try await group.kim.waitUntil { $0.presence.contains { $0.member == group.samID && !$0.online } }
        #expect(group.kim.saw(eventSeq: banned, beforeOffline: group.samID))
        #expect(await group.sam.refusal(.join(.init(room: group.room))) == .banned)
        #expect(await group.sam.refusal(.history(.init(room: group.room))) == .banned)
        #expect(await group.sam.refusal(.say(.init(room: group.room, text: "let me in"))) == .banned)
        try await group.act(group.dana, .memberUnban(.init(room: group.room, member: group.samID)))
        try await group.scenario.join(group.sam)
        try await group.scenario.say(group.sam, "I'm sorry.")
        #expect(try group.auditActions().suffix(2) == [.memberBanned, .memberUnbanned])
        try await group.done()
    }

    @Test func aMemberSentOutByATimedBanHearsWhenItEnds() async throws {
        let clock = ManualClock(now: SystemClock().now())
        let group = try await Group.start(clock: clock)
        let banned = try await group.act(
            group.dana, .memberBan(.init(room: group.room, member: group.samID, duration: 60, reason: "A pause.")))
        try await group.sam.waitForEvent(seq: banned)
        #expect(await group.sam.refusal(.join(.init(room: group.room))) == .banned)
        // The room's clock wakes at the ban's end: Sam, no longer following the room, hears it.
        clock.advance(by: 60_000)
        try await group.sam.waitUntil { $0.events.contains { $0.body == .memberUnbanned(member: group.samID) } }
        try await group.kim.waitUntil { $0.events.contains { $0.body == .memberUnbanned(member: group.samID) } }
        try await group.scenario.join(group.sam)
        try await group.scenario.say(group.sam, "Back, and calmer.")
        try await group.done()
    }

    @Test func aRemovedMessageIsWithheldFromEveryoneButAFacilitatorsAuditedRead() async throws {
        let group = try await Group.start()
        let said = try await group.scenario.say(group.sam, "Kim lives at 12 Elm Street").seq
        try await group.kim.waitForEvent(seq: said)
        #expect(
            await group.kim.refusal(.messageRemove(.init(room: group.room, seq: said, reason: "x"))) == .forbidden)
        let removed = try await group.act(
            group.dana, .messageRemove(.init(room: group.room, seq: said, reason: "No addresses, please.")))
        // The author is told, with the reason; so is everyone who saw it.
        try await group.sam.waitForEvent(seq: removed)
        let notice = try #require(group.sam.events.first { $0.seq == removed })
        #expect(notice.body == .messageRemoved(message: said, author: group.samID, reason: "No addresses, please."))
        try await group.kim.waitForEvent(seq: removed)

        for reader in [group.kim, group.dana] {
            let history: Reply.History = try await reader.request(.history(.init(room: group.room)))
            let entry = try #require(history.events.first { $0.seq == said })
            #expect(entry.body == .withheld(kind: "message"))
        }
        #expect(await group.kim.refusal(.messageOriginal(.init(room: group.room, seq: said))) == .forbidden)
        let original: Reply.Original = try await group.dana.request(
            .messageOriginal(.init(room: group.room, seq: said)))
        #expect(original.event.body == .message(text: "Kim lives at 12 Elm Street", clientID: nil))
        #expect(try group.auditActions().suffix(2) == [.messageRemoved, .removedMessageRead])
        #expect(
            await group.dana.refusal(.messageRemove(.init(room: group.room, seq: said, reason: "again"))) == .badField)
        #expect(
            await group.dana.refusal(.messageRemove(.init(room: group.room, seq: removed, reason: "x")))
                == .noSuchMessage)
        try await group.done()
    }

    @Test func aLockedRoomRefusesNewMembersAndTheTopicReachesJoiners() async throws {
        let group = try await Group.start()
        try await group.act(group.dana, .roomLock(.init(room: group.room)))
        try await group.act(group.dana, .roomTopic(.init(room: group.room, text: "Sleep")))
        let newcomer = try await group.server.connect()
        #expect(await newcomer.refusal(.redeem(.init(code: group.scenario.code, name: "Lee"))) == .roomLocked)
        let joined = try await group.scenario.join(group.kim)
        #expect(joined.topic == "Sleep" && joined.locked)
        try await group.act(group.dana, .roomUnlock(.init(room: group.room)))
        let _: Reply.Redeemed = try await newcomer.request(.redeem(.init(code: group.scenario.code, name: "Lee")))
        #expect(try group.auditActions().suffix(4) == [.roomLocked, .topicSet, .roomUnlocked, .memberJoined])
        await newcomer.close()
        try await group.done()
    }

    @Test func raisedHandsAndTheFloorOverTheWire() async throws {
        let group = try await Group.start()
        try await group.act(group.dana, .floorSet(.init(room: group.room, mode: .hands)))
        #expect(await group.sam.refusal(.say(.init(room: group.room, text: "me"))) == .floorClosed)
        let raised = try await group.act(group.sam, .handRaise(.init(room: group.room)))
        try await group.dana.waitForEvent(seq: raised)
        try await group.act(group.dana, .floorGive(.init(room: group.room, member: group.samID, duration: 120)))
        try await group.scenario.say(group.sam, "Thanks for the turn.")
        #expect(await group.kim.refusal(.say(.init(room: group.room, text: "me too"))) == .floorClosed)
        let joined = try await group.scenario.join(group.kim)
        #expect(joined.floor.mode == .hands && joined.floor.holder == group.samID)
        try await group.act(group.dana, .floorSet(.init(room: group.room, mode: .slow, seconds: 60)))
        try await group.scenario.say(group.kim, "one")
        #expect(await group.kim.refusal(.say(.init(room: group.room, text: "two"))) == .slowMode)
        try await group.done()
    }

    /// A participant may not give the floor in any mode (only pass the talking piece they
    /// hold), and a facilitator asking for the original of a message that never was is told so.
    @Test func refusalsSayWhatIsWrongWhateverTheRoomsState() async throws {
        let group = try await Group.start()
        let give = Request.floorGive(.init(room: group.room, member: group.kimID))
        for mode in [FloorMode.open, .slow, .hands, .piece] {
            if mode != .open {
                try await group.act(
                    group.dana, .floorSet(.init(room: group.room, mode: mode, seconds: mode == .slow ? 30 : nil)))
            }
            #expect(await group.sam.refusal(give) == .forbidden, "\(mode)")
        }
        #expect(
            await group.dana.refusal(.messageOriginal(.init(room: group.room, seq: 9_999))) == .noSuchMessage)
        try await group.done()
    }

    @Test func privateMessagesReachOnlyTheirReaders() async throws {
        let group = try await Group.start()
        #expect(
            await group.sam.refusal(.dm(.init(room: group.room, to: group.kimID, text: "hi"))) == .directMessagesOff)
        let toFacilitators = try await group.act(group.sam, .dm(.init(room: group.room, text: "Can we talk after?")))
        try await group.dana.waitForEvent(seq: toFacilitators)
        try await group.act(group.dana, .dmAllow(.init(room: group.room, allowed: true)))
        let toKim = try await group.act(group.sam, .dm(.init(room: group.room, to: group.kimID, text: "hi Kim")))
        try await group.kim.waitForEvent(seq: toKim)
        let marker = try await group.scenario.say(group.dana, "marker").seq
        for client in [group.sam, group.kim, group.dana] { try await client.waitForEvent(seq: marker) }
        #expect(!group.kim.events.contains { $0.seq == toFacilitators })
        #expect(!group.dana.events.contains { $0.seq == toKim })
        #expect(group.sam.events.contains { $0.seq == toFacilitators && $0.audience == .facilitatorsAnd(group.samID) })
        // History and resume honour the same audiences.
        let kimHistory: Reply.History = try await group.kim.request(.history(.init(room: group.room)))
        #expect(kimHistory.events.contains { $0.seq == toKim })
        #expect(!kimHistory.events.contains { $0.seq == toFacilitators })
        let danaHistory: Reply.History = try await group.dana.request(.history(.init(room: group.room)))
        #expect(danaHistory.events.contains { $0.seq == toFacilitators })
        #expect(!danaHistory.events.contains { $0.seq == toKim })
        try await group.done()
    }

    @Test func aSideRoomHoldsTheFacilitatorAndOneMember() async throws {
        let group = try await Group.start()
        #expect(await group.kim.refusal(.sideOpen(.init(room: group.room, member: group.samID))) == .forbidden)
        let side: Reply.SideOpened = try await group.dana.request(
            .sideOpen(.init(room: group.room, member: group.samID)))
        try await group.sam.waitForEvent(seq: side.seq)
        #expect(group.sam.events.contains { $0.body == .sideRoomOpened(room: side.room, member: group.samID) })
        let marker = try await group.scenario.say(group.dana, "back to the group").seq
        try await group.kim.waitForEvent(seq: marker)
        #expect(!group.kim.events.contains { $0.seq == side.seq })
        let joined: Reply.Joined = try await group.sam.request(.join(.init(room: side.room)))
        #expect(joined.session == 1 && joined.members.count == 2)
        let _: Reply.Joined = try await group.dana.request(.join(.init(room: side.room)))
        let said: Reply.Appended = try await group.sam.request(.say(.init(room: side.room, text: "It's been hard.")))
        try await group.dana.waitUntil { $0.events.contains { $0.room == side.room && $0.seq == said.seq } }
        #expect(await group.kim.refusal(.join(.init(room: side.room))) == .notAMember)
        try await group.done()
    }

    @Test func notesStayApartFromTheLogAndTheirReadsAreAudited() async throws {
        let group = try await Group.start()
        let _: Reply.Done = try await group.dana.request(
            .noteAdd(.init(room: group.room, member: group.samID, text: "Seemed withdrawn tonight.")))
        #expect(await group.kim.refusal(.noteList(.init(room: group.room, member: group.samID))) == .forbidden)
        let notes: Reply.Notes = try await group.dana.request(.noteList(.init(room: group.room, member: group.samID)))
        #expect(notes.notes.map(\.text) == ["Seemed withdrawn tonight."])
        let all = try group.server.store.events(room: group.room, after: 0, through: nil, viewer: nil, limit: 1000)
        #expect(!all.contains { String(decoding: $0.json, as: UTF8.self).contains("withdrawn") })
        #expect(try group.auditActions().suffix(2) == [.noteAdded, .notesRead])
        try await group.done()
    }

    @Test func rolesChangeWhatAMemberMayDoAndSeeAtOnce() async throws {
        let group = try await Group.start()
        #expect(
            await group.kim.refusal(.memberRole(.init(room: group.room, member: group.samID, role: .observer)))
                == .forbidden)
        try await group.act(group.dana, .memberRole(.init(room: group.room, member: group.kimID, role: .coFacilitator)))
        // Kim now receives what is for the facilitators, without joining again.
        let help = try await group.act(group.sam, .helpSignal(.init(room: group.room, note: "rough day")))
        try await group.kim.waitForEvent(seq: help)
        try await group.act(group.kim, .memberMute(.init(room: group.room, member: group.samID, reason: "pause")))
        try await group.act(group.dana, .memberRole(.init(room: group.room, member: group.samID, role: .observer)))
        #expect(await group.sam.refusal(.say(.init(room: group.room, text: "hm"))) == .forbidden)

        let invite: Reply.InviteCreated = try await group.dana.request(
            .inviteCreate(.init(room: group.room, uses: 1, role: .observer)))
        let trainee = try await group.server.connect()
        let redeemed: Reply.Redeemed = try await trainee.request(.redeem(.init(code: invite.code, name: "Trainee")))
        #expect(redeemed.role == .observer)
        #expect(try group.auditActions().filter { $0 == .roleChanged }.count == 2)
        await trainee.close()
        try await group.done()
    }
}
