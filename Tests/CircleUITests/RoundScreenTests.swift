import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Testing

@Suite struct RoundScreenTests {
    typealias Chat = ChatScreenTests

    static func event(_ seq: Int64, by actor: AccountID?, _ body: EventBody, audience: Audience = .room) -> Event {
        Event(room: Chat.room, seq: seq, session: 2, at: Chat.noon, actor: actor, audience: audience, body: body)
    }

    @Test func aMemberWhoIsAwayCostsTheRoundOneLine() {
        var state = Chat.state()
        let kim = AccountID("u-kim")
        state.apply(
            Self.event(
                1, by: Chat.dana.id,
                .roundStarted(
                    number: 1, kind: .checkIn, prompt: "Week?", queue: [kim, Chat.sam.id], turnSeconds: nil,
                    instrument: nil)))
        state.apply(Self.event(2, by: nil, .turnBegan(member: kim, endsAt: nil)))
        state.apply(Self.event(3, by: nil, .turnEnded(member: kim, outcome: .away)))
        state.apply(Self.event(4, by: nil, .turnBegan(member: Chat.sam.id, endsAt: nil)))
        let lines = ScreenRenderer(width: 100, height: 24).render(state, now: Chat.noon).lines.map(\.text)
        #expect(lines.contains { $0.contains("u-kim is away and comes back at the end") })
        #expect(!lines.contains { $0.contains("It is u-kim's turn") }, "\(lines)")
        // A turn someone takes keeps its line.
        #expect(lines.contains { $0.contains("It is Sam's turn") })
    }

    @Test func theStatusBarShowsWhoseTurnItIsAndTheTimeLeft() {
        var state = Chat.state()
        let bar = { (state: ChatState, seconds: Int64) in
            ScreenRenderer(width: 160, height: 12).render(
                state, now: Timestamp(milliseconds: Chat.noon.milliseconds + seconds * 1000)
            ).lines[10].text
        }
        let kim = AccountID("u-kim")
        state.apply(
            Self.event(
                1, by: Chat.dana.id,
                .roundStarted(
                    number: 1, kind: .checkIn, prompt: "How was your week?", queue: [kim, Chat.sam.id],
                    turnSeconds: 120, instrument: nil)))
        state.apply(Self.event(2, by: Chat.dana.id, .turnBegan(member: kim, endsAt: Chat.noon.adding(seconds: 120))))
        #expect(bar(state, 0).contains("check-in 1: u-kim's turn 2:00 left, 1 to come"))
        #expect(bar(state, 75).contains("0:45 left"))
        state.apply(Self.event(3, by: kim, .turnEnded(member: kim, outcome: .passed)))
        state.apply(Self.event(4, by: kim, .turnBegan(member: Chat.sam.id, endsAt: Chat.noon.adding(seconds: 120))))
        #expect(bar(state, 0).contains("check-in 1: your turn 2:00 left"))
        let lines = ScreenRenderer(width: 100, height: 24).render(state, now: Chat.noon).lines.map(\.text)
        #expect(lines.contains { $0.contains("○ Dana started check-in round 1, 2 min a turn: How was your week?") })
        #expect(lines.contains { $0.contains("○ It is Sam's turn (until 12:02)") })
        state.apply(
            Self.event(
                5, by: Chat.sam.id,
                .roundEnded(
                    number: 1,
                    summary: [
                        .init(member: kim, outcome: .passed, change: nil),
                        .init(member: Chat.sam.id, outcome: .checkedIn, change: 1.5),
                    ], early: false)))
        #expect(!bar(state, 0).contains("check-in"))
        let end = ScreenRenderer(width: 120, height: 24).render(state, now: Chat.noon).lines.map(\.text)
        #expect(end.contains { $0.contains("Round 1 is over — passed: u-kim; checked-in: Sam +1.5") })
    }

    /// At 80 and 60 columns the turn and its time stay whole; the rest gives way, the least
    /// important first.
    @Test func aNarrowStatusBarNeverCutsTheRoundsTimer() {
        var state = Chat.state()
        let kim = Member(id: AccountID("u-kim"), name: "Kimberly-Anne", role: .participant, joinedAt: Chat.noon)
        state.rooms[Chat.room]?.members[kim.id] = kim
        state.rooms[Chat.room]?.name = "Tuesday evening group"
        state.apply(
            Self.event(
                1, by: Chat.dana.id,
                .roundStarted(
                    number: 1, kind: .checkIn, prompt: "Week?", queue: [kim.id, Chat.sam.id], turnSeconds: 120,
                    instrument: nil)))
        state.apply(
            Self.event(2, by: Chat.dana.id, .turnBegan(member: kim.id, endsAt: Chat.noon.adding(seconds: 120))))
        state.pending = [PendingMessage(room: Chat.room, text: "hi", clientID: "c1", typedAt: Chat.noon)]
        let turn = "check-in 1: Kimberly-Anne's turn 2:00 left, 1 to come"
        let wide = ScreenRenderer(width: 160, height: 12).render(state, now: Chat.noon).lines[10].text
        #expect(wide.contains(turn) && wide.contains("Sam (participant)") && wide.contains("● connected"))
        for width in [80, 60] {
            let bar = ScreenRenderer(width: width, height: 12).render(state, now: Chat.noon).lines[10].text
            #expect(CharacterWidth.of(bar) == width)
            #expect(bar.contains(turn), "\(width): \(bar)")
            #expect(!bar.contains("Sam (participant)"), "\(width): \(bar)")
        }
        let eighty = ScreenRenderer(width: 80, height: 12).render(state, now: Chat.noon).lines[10].text
        #expect(eighty.hasPrefix(" ● │ check-in 1: Kimberly-Anne's") && eighty.contains("│ 1 unsent"), "\(eighty)")
        let sixty = ScreenRenderer(width: 60, height: 12).render(state, now: Chat.noon).lines[10].text
        #expect(sixty.hasPrefix(" ● │ check-in 1: Kimberly-Anne's turn 2:00 left"), "\(sixty)")
        // Even at a width the turn alone fills, it is the turn that is shown.
        let narrow = ScreenRenderer(width: 50, height: 12).render(state, now: Chat.noon).lines[10].text
        #expect(narrow.contains("Kimberly-Anne's turn 2:00 left"), "\(narrow)")
    }

    /// A PHQ-9 round shows the question, the 0-3 scale and each item's wording, and takes the
    /// answers one at a time; text still goes to the group, and a wrong number says the scale.
    @Test func aQuestionnaireIsAnsweredItemByItem() {
        var state = Chat.state()
        state.apply(
            Self.event(
                1, by: Chat.dana.id,
                .roundStarted(
                    number: 1, kind: .checkIn, prompt: "Week?", queue: [Chat.sam.id], turnSeconds: nil,
                    instrument: "phq9")))
        state.apply(Self.event(2, by: nil, .turnBegan(member: Chat.sam.id, endsAt: nil)))
        state.start(Questionnaire(room: Chat.room, round: 1, instrument: .phq9), at: Chat.noon)
        func screen() -> [String] {
            ScreenRenderer(width: 160, height: 30).render(state, now: Chat.noon).lines.map(\.text)
        }
        func type(_ text: String) -> ChatAction? {
            _ = state.handle(.text(text), paneHeight: 20)
            return state.handle(.enter, paneHeight: 20)
        }
        var text = screen()
        #expect(text.contains { $0.contains("PHQ-9, 9 items. Over the last 2 weeks, how often have you been") })
        let scale = "0 Not at all · 1 Several days · 2 More than half the days · 3 Nearly every day"
        #expect(text.contains { $0.contains(scale) })
        #expect(text.contains { $0.contains("PHQ-9 1 of 9: Little interest or pleasure in doing things") })
        #expect(text[28].contains("PHQ-9 1 of 9: type 0–3"), "\(text[28])")

        #expect(type("1") == nil)
        #expect(screen().contains { $0.contains("PHQ-9 2 of 9: Feeling down, depressed, or hopeless") })
        #expect(type("5") == nil)
        #expect(screen().contains { $0.contains("Answer PHQ-9 2 with a number: 0 Not at all") })
        #expect(type("Sorry, a moment.") == .submit("Sorry, a moment."))
        for answer in ["2", "0", "1", "0", "0", "1", "0", "0"] { #expect(type(answer) == nil) }
        #expect(state.questionnaire?.answers == [1, 2, 0, 1, 0, 0, 1, 0, 0])
        #expect(state.questionnaire?.isComplete == true)
        text = screen()
        #expect(text.contains { $0.contains("Your PHQ-9 answers go with your check-in") })
        #expect(!text[28].contains("PHQ-9"))
        // The answers never go into the input history.
        #expect(state.input.history == ["Sorry, a moment."])
        // The turn's end takes the questionnaire with it.
        state.apply(Self.event(3, by: Chat.sam.id, .turnEnded(member: Chat.sam.id, outcome: .passed)))
        #expect(state.questionnaire == nil)
    }

    @Test func aCheckInReadsWithGoalNames() {
        var state = Chat.state()
        let goal = Goal(
            id: GoalID("g1"), member: Chat.sam.id, text: "Walk daily", horizon: .short, target: nil, visibility: .group)
        state.apply(Self.event(1, by: Chat.sam.id, .goalSet(goal: goal)))
        state.apply(
            Self.event(
                2, by: Chat.sam.id,
                .checkInRecorded(
                    member: Chat.sam.id,
                    checkIn: CheckIn(
                        ratings: [.init(goal: goal.id, progress: 6, gas: 1)], kept: .partly, commitment: "Walk Monday"))
            ))
        let lines = ScreenRenderer(width: 120, height: 24).render(state, now: Chat.noon).lines.map(\.text)
        // The id is in the line: it is what /revise, /goal done and the check-in name.
        #expect(lines.contains { $0.contains("Sam set a short-term goal (g1): Walk daily") })
        state.apply(Self.event(3, by: Chat.dana.id, .sharedGoalAdded(goal: GoalID("s1"), text: "Start on time")))
        let shared = ScreenRenderer(width: 120, height: 24).render(state, now: Chat.noon).lines.map(\.text)
        #expect(shared.contains { $0.contains("Dana added a shared goal (s1): Start on time") })
        #expect(
            lines.contains {
                $0.contains("Sam check-in: \"Walk daily\" 6/10 (GAS +1); last commitment: partly; next: Walk Monday")
            })
    }

    @Test func theGoalCardShowsTrendsAndTheLastCommitment() {
        let goal = Goal(
            id: GoalID("g1"), member: Chat.sam.id, text: "Walk daily", horizon: .long, target: "2027-01-31",
            visibility: .group)
        let progress = MemberProgress(
            member: Chat.sam.id,
            goals: [
                .init(
                    goal: goal,
                    points: [
                        .init(session: 1, progress: 2), .init(session: 2, progress: 6), .init(session: 3, progress: 10),
                    ])
            ],
            commitments: [.init(session: 3, text: "Walk before work", kept: nil)],
            attendance: [.init(session: 1, status: .present), .init(session: 2, status: .absent)], scores: [])
        let lines = GoalCard.lines(progress)
        #expect(lines[0] == "g1 Walk daily (long-term, by 2027-01-31) last 10/10 ▂▅█")
        #expect(lines.contains("Last commitment (session 3): Walk before work"))
        #expect(lines.contains("Sessions attended: 1 of 2"))
        #expect(Sparkline.of([0, 5, 10, 12, -1]) == "▁▄██▁")
    }

    @Test func checkInsAndRoundsParseFromSlashCommands() {
        let checkIn = SlashCommand.parse("/checkin g1=6 g2=4/+1 kept=partly answers=0,1,2 | Walk Monday | Hard week")
        #expect(
            checkIn
                == .success(
                    .room(
                        .checkIn(
                            CheckIn(
                                ratings: [
                                    .init(goal: GoalID("g1"), progress: 6),
                                    .init(goal: GoalID("g2"), progress: 4, gas: 1),
                                ],
                                answers: [0, 1, 2], note: "Hard week", kept: .partly, commitment: "Walk Monday")))))
        #expect(
            SlashCommand.parse("/round checkout random 2m gad7 One word for tonight?")
                == .success(
                    .room(
                        .startRound(
                            kind: .checkOut, order: .random, seconds: 120, instrument: "gad7",
                            prompt: "One word for tonight?"))))
        #expect(
            SlashCommand.parse("/goal long private by=2027-01-31 Sleep by eleven")
                == .success(
                    .room(
                        .goal(text: "Sleep by eleven", horizon: .long, visibility: .facilitators, target: "2027-01-31"))
                ))
        #expect(SlashCommand.parse("/goal done g2") == .success(.room(.goalStatus(GoalID("g2"), .achieved))))
        #expect(
            SlashCommand.parse("/revise g1 Walk 20 minutes | knee")
                == .success(.room(.reviseGoal(GoalID("g1"), text: "Walk 20 minutes", reason: "knee"))))
        #expect(
            SlashCommand.parse("/journal trigger crowded bus #crowds mood=3")
                == .success(.journal(.add(.trigger, text: "crowded bus", tags: ["crowds"], mood: 3))))
        #expect(SlashCommand.parse("/round who") == .success(.stillToGo))
        // A prompt that starts with "who" still starts a round.
        #expect(
            SlashCommand.parse("/round who helped you this week?")
                == .success(
                    .room(
                        .startRound(
                            kind: .checkIn, order: .joined, seconds: nil, instrument: nil,
                            prompt: "who helped you this week?"))))
        for bad in [
            "/checkin g1", "/checkin kept=maybe", "/round", "/revise g1 no reason", "/journal dream x", "/extend soon",
        ] {
            guard case .failure = SlashCommand.parse(bad) else {
                Issue.record("\(bad) parsed")
                continue
            }
        }
    }

    @Test func whoIsStillToGoIsSaidByName() throws {
        let room = try #require(Chat.state().currentRoom)
        let kim = AccountID("u-kim")
        #expect(
            room.stillToGoLine(StillToGo(round: 2, current: Chat.sam.id, waiting: [kim]))
                == "Still to go in round 2: Sam (now), u-kim.")
        #expect(
            room.stillToGoLine(StillToGo(round: 2, current: nil, waiting: []))
                == "Everyone has had their turn in round 2.")
    }
}
