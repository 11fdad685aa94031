import CircleCore
import Testing

/// Progress across sessions and the facilitators' "not on track" flags.
@Suite struct ProgressTests {
    let owner = RoomFixture.owner
    let sam = RoomFixture.sam
    let kim = RoomFixture.kim

    /// Runs one session in which Sam checks in with `progress` on his goal (and the PHQ-9 when
    /// `phq9` is given) and Kim is absent.
    func session(
        _ fixture: inout RoomFixture, goal: GoalID, progress: Int, kept: CheckIn.Kept? = nil, phq9: [Int]? = nil
    ) throws {
        try fixture.run(.openSession, by: owner)
        try fixture.run(.arrive, by: sam)
        try fixture.run(
            .startRound(
                kind: .checkIn, prompt: "Week?", order: .listed, listed: [sam.account], turnSeconds: nil,
                instrument: phq9 == nil ? nil : "phq9"), by: owner)
        try fixture.run(
            .checkIn(
                CheckIn(ratings: [.init(goal: goal, progress: progress)], answers: phq9, kept: kept, commitment: "Walk")
            ),
            by: sam)
        try fixture.run(.closeSession, by: owner)
        fixture.now = fixture.now.adding(seconds: 7 * 86400)
    }

    func ready() throws -> (RoomFixture, GoalID) {
        var fixture = try RoomFixture.ready(members: [sam, kim])
        try fixture.run(
            .setGoal(member: sam.account, text: "Walk", horizon: .short, target: nil, visibility: .group), by: sam)
        return (fixture, GoalID("g1"))
    }

    @Test func aMemberSeesTheirTrendCommitmentsAndAttendance() throws {
        var (fixture, goal) = try ready()
        try session(&fixture, goal: goal, progress: 3)
        try session(&fixture, goal: goal, progress: 5, kept: .kept)
        let progress = fixture.state.progress(of: sam.account)
        #expect(progress.goals.first?.points.map(\.progress) == [3, 5])
        #expect(progress.commitments.map(\.kept) == [.kept, nil])
        #expect(progress.attendance.map(\.status) == [.present, .present])
        #expect(fixture.state.progress(of: kim.account).attendance.map(\.status) == [.absent, .absent])
    }

    @Test func keptIsRefusedWhenNoEarlierSessionHadACommitment() throws {
        var (fixture, goal) = try ready()
        try fixture.run(.openSession, by: owner)
        try fixture.run(.arrive, by: sam)
        try fixture.run(
            .startRound(
                kind: .checkIn, prompt: "Week?", order: .listed, listed: [sam.account], turnSeconds: nil,
                instrument: nil), by: owner)
        let first = CheckIn(ratings: [.init(goal: goal, progress: 4)], kept: .kept, commitment: "Walk")
        do {
            _ = try fixture.run(.checkIn(first), by: sam)
            Issue.record("'kept' with no earlier commitment was taken")
        } catch {
            #expect(error.code == .badField && error.message.contains("no commitment in an earlier session"))
        }
        // Nothing was recorded: the same check-in without 'kept' goes through.
        #expect(fixture.state.records[sam.account]?.checkIns.isEmpty != false)
        try fixture.run(.checkIn(CheckIn(ratings: [.init(goal: goal, progress: 4)], commitment: "Walk")), by: sam)
        try fixture.run(.closeSession, by: owner)
        // The next week there is one to report on.
        try session(&fixture, goal: goal, progress: 5, kept: .partly)
        #expect(fixture.state.progress(of: sam.account).commitments.map(\.kept) == [.partly, nil])
    }

    @Test func theOverviewFlagsEachRuleByName() throws {
        var (fixture, goal) = try ready()
        try session(&fixture, goal: goal, progress: 5, phq9: [1, 1, 0, 0, 0, 0, 0, 0, 0])
        try session(&fixture, goal: goal, progress: 5, kept: .not, phq9: [2, 2, 2, 2, 1, 1, 1, 1, 0])
        try session(&fixture, goal: goal, progress: 4, kept: .not, phq9: [2, 2, 2, 2, 1, 1, 1, 1, 0])
        let lines = fixture.state.overview().lines
        let samFlags = Set(lines.first { $0.member == sam.account }?.flags.map(\.rule) ?? [])
        #expect(samFlags == ["cutoff", "no_gain", "unkept"])
        let kimFlags = lines.first { $0.member == kim.account }?.flags.map(\.rule)
        #expect(kimFlags == ["absences"])
        // The drop of 9 points came between the first two sessions; the third held steady.
        var (second, goal2) = try ready()
        try session(&second, goal: goal2, progress: 5, phq9: [1, 1, 0, 0, 0, 0, 0, 0, 0])
        try session(&second, goal: goal2, progress: 6, phq9: [2, 2, 2, 2, 1, 1, 1, 0, 0])
        let flags = second.state.overview().lines.first { $0.member == sam.account }?.flags ?? []
        #expect(flags.map(\.rule) == ["reliable_drop", "cutoff"])
        #expect(flags.first?.detail.contains("PHQ-9 went from 2 to 11") == true)
        let line = try #require(second.state.overview().lines.first { $0.member == sam.account })
        #expect(line.latest == 6 && line.change == 1 && line.attended == 2)
    }

    @Test func theRoundSummaryShowsEachMembersChangeSinceLastSession() throws {
        var (fixture, goal) = try ready()
        try session(&fixture, goal: goal, progress: 3)
        try fixture.run(.openSession, by: owner)
        try fixture.run(
            .startRound(
                kind: .checkIn, prompt: "Week?", order: .joined, listed: nil, turnSeconds: nil, instrument: nil),
            by: owner)
        try fixture.run(.checkIn(CheckIn(ratings: [.init(goal: goal, progress: 7)])), by: sam)
        try fixture.run(.passTurn, by: kim)
        guard case .roundEnded(_, let summary, _) = fixture.log.last?.body else {
            Issue.record("no summary")
            return
        }
        #expect(summary.map(\.change) == [4, nil])
    }

    @Test func aMonthsJournalInBrief() {
        let sam = AccountID("u-sam")
        let at = Timestamp(milliseconds: 0)
        let entries = [
            JournalEntry(id: 1, author: sam, at: at, kind: .episode, text: "panic", mood: 2),
            JournalEntry(id: 2, author: sam, at: at, kind: .trigger, text: "bus", tags: ["crowds"]),
            JournalEntry(id: 3, author: sam, at: at, kind: .trigger, text: "mall", tags: ["crowds", "noise"]),
            JournalEntry(id: 4, author: sam, at: at, kind: .helped, text: "Breathing", mood: 6),
            JournalEntry(id: 5, author: sam, at: at, kind: .episode, text: "panic again"),
        ]
        let digest = JournalDigest.of(entries, month: "2026-11")
        #expect(digest.episodes == 2 && digest.entries == 5 && digest.meanMood == 4)
        #expect(digest.topTriggers.map(\.text) == ["crowds", "noise"])
        #expect(digest.topTriggers.first?.count == 2)
        #expect(digest.whatHelped.map(\.text) == ["breathing"])
        #expect(Timestamp.month("2026-11")?.0 == Timestamp(milliseconds: 1_793_491_200_000))
        #expect(Timestamp.month("2026-12")?.1 == Timestamp(milliseconds: 1_798_761_600_000))
        #expect(Timestamp.month("2026-1") == nil)
        if case .success = JournalEntry.validated(text: "x", tags: ["a,b"], mood: nil) {
            Issue.record("a tag with a comma was accepted")
        }
    }
}
