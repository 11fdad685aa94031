import CircleClient
import CircleCore
import CircleProtocol
import CircleServer
import CircleTestSupport
import Foundation
import Testing

/// A facilitator and four members run a check-in round over real sockets.
@Suite struct RoundOverTCPTests {
    @Test func aCheckInRoundWithAPassAndADisconnect() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let room = scenario.room
        var members: [String: TestClient] = [:]
        for name in ["Ann", "Ben", "Cat", "Dev"] {
            let (client, _) = try await scenario.member(name)
            try await scenario.join(client)
            let _: Reply.Appended = try await client.request(
                .goalSet(.init(room: room, text: "\(name)'s goal: walk daily", horizon: .short)))
            members[name] = client
        }
        let dana = scenario.facilitator
        let joined = try await scenario.join(dana)
        func id(_ name: String) throws -> AccountID { try #require(joined.members.first { $0.name == name }?.id) }
        let (ann, ben, cat, dev) = (members["Ann"]!, members["Ben"]!, members["Cat"]!, members["Dev"]!)

        let started: Reply.Appended = try await dana.request(
            .roundStart(.init(room: room, prompt: "How did your week go?")))
        try await ann.waitForEvent(seq: started.seq + 1)
        #expect(ann.events.contains { $0.body == .turnBegan(member: try! id("Ann"), endsAt: nil) })
        // No cross-talk while Ann has the turn; the facilitator may always speak.
        #expect(await ben.refusal(.say(.init(room: room, text: "Me next!"))) == .roundInProgress)
        try await scenario.say(dana, "Take your time, Ann.")
        #expect(await ben.refusal(.roundPass(.init(room: room))) == .notYourTurn)
        // Anyone in the room may ask who is still to go.
        let toGo: StillToGo = try await ben.request(.roundWho(.init(room: room)))
        #expect(
            toGo == StillToGo(round: 1, current: try id("Ann"), waiting: [try id("Ben"), try id("Cat"), try id("Dev")]))

        let progress: MemberProgress = try await ann.request(.progress(.init(room: room)))
        let goal = try #require(progress.goals.first?.goal.id)
        let _: Reply.Appended = try await ann.request(
            .checkIn(
                .init(
                    room: room, ratings: [.init(goal: goal, progress: 6)], note: "Walked four days.",
                    commitment: "Walk before work")))
        let _: Reply.Appended = try await ben.request(.roundPass(.init(room: room)))
        // Cat's turn begins, and Cat drops off: Cat goes to the end, and it is Dev's turn.
        try await cat.waitUntil { $0.events.contains { $0.body == .turnBegan(member: try! id("Cat"), endsAt: nil) } }
        await cat.close()
        try await dev.waitUntil { $0.events.contains { $0.body == .turnBegan(member: try! id("Dev"), endsAt: nil) } }
        #expect(dev.events.contains { $0.body == .turnEnded(member: try! id("Cat"), outcome: .away) })
        let afterCat: StillToGo = try await dana.request(.roundWho(.init(room: room)))
        #expect(afterCat == StillToGo(round: 1, current: try id("Dev"), waiting: [try id("Cat")]))
        let devProgress: MemberProgress = try await dev.request(.progress(.init(room: room)))
        let devGoal = try #require(devProgress.goals.first?.goal.id)
        let _: Reply.Appended = try await dev.request(
            .checkIn(.init(room: room, ratings: [.init(goal: devGoal, progress: 4)])))
        // Back to Cat, still away: absent, and the round is over.
        try await dana.waitUntil { $0.events.contains { if case .roundEnded = $0.body { true } else { false } } }
        guard
            case .roundEnded(_, let summary, let early)? = dana.events.last(where: {
                if case .roundEnded = $0.body { true } else { false }
            })?.body
        else { return }
        #expect(!early)
        #expect(await dana.refusal(.roundWho(.init(room: room))) == .noRound)
        #expect(summary.map(\.outcome) == [.checkedIn, .passed, .checkedIn, .absent])
        #expect(summary.map(\.member) == [try id("Ann"), try id("Ben"), try id("Dev"), try id("Cat")])
        try await scenario.say(ben, "Thanks, everyone.")

        // Attendance: everyone arrived at the open session; the facilitator sees it all.
        let overview: Overview = try await dana.request(.overview(.init(room: room)))
        #expect(overview.lines.map(\.name) == ["Ann", "Ben", "Cat", "Dev"])
        #expect(overview.lines.allSatisfy { $0.attended == 1 })
        #expect(await ann.refusal(.overview(.init(room: room))) == .forbidden)
        #expect(await ann.refusal(.progress(.init(room: room, member: try id("Ben")))) == .forbidden)
        for client in [ann, ben, dev, dana] { await client.close() }
        try await server.stop()
    }

    @Test func aTimedTurnMovesOnByItself() async throws {
        let clock = ManualClock(now: SystemClock().now())
        let server = try await TestServer.start(clock: clock)
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        let (kim, _) = try await scenario.member("Kim")
        try await scenario.join(sam)
        try await scenario.join(kim)
        let _: Reply.Appended = try await scenario.facilitator.request(
            .roundStart(.init(room: scenario.room, prompt: "One word", turnSeconds: 10)))
        // The server's clock warns at 8 s and moves on at 10 s, with no one asking: the test
        // moves that clock, so nothing waits for ten real seconds.
        try await clock.untilSomeoneSleeps()
        #expect(!kim.events.contains { if case .turnWarned = $0.body { true } else { false } })
        clock.advance(by: 8000)
        try await kim.waitUntil(seconds: 5) { client in
            client.events.contains { if case .turnWarned = $0.body { true } else { false } }
        }
        #expect(!kim.events.contains { if case .turnEnded(_, .timedOut) = $0.body { true } else { false } })
        try await clock.untilSomeoneSleeps()
        clock.advance(by: 2000)
        try await kim.waitUntil(seconds: 5) { client in
            client.events.contains { if case .turnEnded(_, .timedOut) = $0.body { true } else { false } }
        }
        let _: Reply.Appended = try await kim.request(.roundPass(.init(room: scenario.room)))
        for client in [sam, kim, scenario.facilitator] { await client.close() }
        try await server.stop()
    }

    @Test func journalsStayPrivateUntilSharedAndSharedReadsAreAudited() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        let (kim, _) = try await scenario.member("Kim")
        let added: Reply.JournalAdded = try await sam.request(
            .journalAdd(.init(kind: .trigger, text: "Crowded bus", tags: ["crowds"], mood: 3)))
        let _: Reply.JournalAdded = try await sam.request(.journalAdd(.init(kind: .episode, text: "Panic at work")))
        let _: Reply.JournalAdded = try await sam.request(
            .journalAdd(.init(kind: .helped, text: "Box breathing", tags: ["breathing"])))
        #expect(await sam.refusal(.journalAdd(.init(kind: .note, text: "x", mood: 11))) == .badField)
        let mine: Reply.Journal = try await sam.request(.journalList(.init()))
        #expect(mine.entries.map(\.text) == ["Crowded bus", "Panic at work", "Box breathing"])
        let theirs: Reply.Journal = try await kim.request(.journalList(.init()))
        #expect(theirs.entries.isEmpty)

        let dana = scenario.facilitator
        let before: Reply.Journal = try await dana.request(.journalShared(.init(room: scenario.room)))
        #expect(before.entries.isEmpty)
        #expect(await kim.refusal(.journalShare(.init(entry: added.entry, room: scenario.room))) == .badField)
        let _: Reply.Done = try await sam.request(.journalShare(.init(entry: added.entry, room: scenario.room)))
        let shared: Reply.Journal = try await dana.request(.journalShared(.init(room: scenario.room)))
        #expect(shared.entries.map(\.text) == ["Crowded bus"])
        #expect(await kim.refusal(.journalShared(.init(room: scenario.room))) == .forbidden)
        let audit = try server.store.auditEntries(room: scenario.room).map(\.record.action)
        #expect(audit.filter { $0 == .journalSharedRead }.count == 2)

        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM"
        let month = formatter.string(from: Date())
        let digest: JournalDigest = try await sam.request(.journalSummary(.init(month: month)))
        #expect(digest.entries == 3 && digest.episodes == 1)
        #expect(digest.topTriggers.map(\.text) == ["crowds"] && digest.whatHelped.map(\.text) == ["breathing"])
        #expect(await sam.refusal(.journalSummary(.init(month: "2026-13"))) == .badField)
        for client in [sam, kim, dana] { await client.close() }
        try await server.stop()
    }
}
