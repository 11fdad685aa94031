import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Testing

@Suite struct ModerationScreenTests {
    typealias Chat = ChatScreenTests

    static func event(_ seq: Int64, by actor: Member, _ body: EventBody, audience: Audience = .room) -> Event {
        Event(room: Chat.room, seq: seq, session: 2, at: Chat.noon, actor: actor.id, audience: audience, body: body)
    }

    @Test func aRemovedMessageDisappearsFromThePaneAndIsMarkedRemoved() {
        var state = Chat.state()
        state.apply(Chat.message(1, Chat.sam, "my neighbour's address is 12 Elm St"))
        state.apply(
            Self.event(2, by: Chat.dana, .messageRemoved(message: 1, author: Chat.sam.id, reason: "No addresses.")))
        let text = ScreenRenderer(width: 80, height: 24).render(state, now: Chat.noon).lines.map(\.text)
        #expect(!text.contains { $0.contains("Elm St") })
        #expect(text.contains { $0.contains("(a message removed by a facilitator)") })
        #expect(text.contains { $0.contains("* Dana removed a message by Sam (#1): No addresses.") })
    }

    @Test func privateMessagesSayToWhom() {
        var state = Chat.state()
        state.apply(
            Self.event(
                1, by: Chat.sam, .message(text: "Can we talk after?", clientID: nil),
                audience: .facilitatorsAnd(Chat.sam.id)))
        state.apply(
            Self.event(
                2, by: Chat.dana, .message(text: "Of course.", clientID: nil), audience: .facilitatorsAnd(Chat.sam.id)))
        let text = ScreenRenderer(width: 80, height: 24).render(state, now: Chat.noon).lines.map(\.text)
        #expect(text.contains { $0.hasSuffix("Sam (to the facilitators): Can we talk after?") })
        #expect(text.contains { $0.contains("@Dana (to Sam and the facilitators): Of course.") })
    }

    @Test func theStatusBarShowsYourHandAndYourTurn() {
        var state = Chat.state()
        state.apply(Self.event(1, by: Chat.dana, .floorModeSet(mode: .hands, seconds: nil)))
        let bar = { (state: ChatState, now: Timestamp) in
            ScreenRenderer(width: 160, height: 12).render(state, now: now).lines[10].text
        }
        #expect(bar(state, Chat.noon).contains("raise your hand to speak"))
        state.apply(Self.event(2, by: Chat.sam, .handRaised))
        #expect(bar(state, Chat.noon).contains("hand raised"))
        let until = Timestamp(milliseconds: Chat.noon.milliseconds + 120_000)
        state.apply(Self.event(3, by: Chat.dana, .floorGiven(member: Chat.sam.id, until: until)))
        #expect(bar(state, Chat.noon).contains("your turn until 12:02"))
        #expect(bar(state, until).contains("raise your hand to speak"))
    }

    @Test func slashCommandsForModerationParse() {
        #expect(
            SlashCommand.parse("/ban Sam 7d threats are not okay")
                == .success(.room(.ban(name: "Sam", seconds: 7 * 86400, reason: "threats are not okay"))))
        #expect(SlashCommand.parse("/ban Sam - no") == .success(.room(.ban(name: "Sam", seconds: nil, reason: "no"))))
        #expect(
            SlashCommand.parse("/remove #12 no addresses") == .success(.room(.remove(seq: 12, reason: "no addresses"))))
        #expect(SlashCommand.parse("/floor slow 30") == .success(.room(.floor(.slow, seconds: 30))))
        #expect(SlashCommand.parse("/floor hands") == .success(.room(.floor(.hands, seconds: nil))))
        #expect(SlashCommand.parse("/give Sam 2m") == .success(.room(.give(name: "Sam", seconds: 120))))
        #expect(SlashCommand.parse("/give -") == .success(.room(.give(name: nil, seconds: nil))))
        #expect(
            SlashCommand.parse("/dm facilitators I need a minute")
                == .success(.room(.privately(to: nil, text: "I need a minute"))))
        #expect(SlashCommand.parse("/role Kim observer") == .success(.room(.role(name: "Kim", role: .observer))))
        #expect(
            SlashCommand.parse("/invite 1 2d observer")
                == .success(.invite(uses: 1, expiresIn: 172_800, role: .observer)))
        for bad in [
            "/ban Sam", "/remove x why", "/floor slow", "/floor loud", "/role Kim boss", "/dms maybe", "/kick Sam",
        ] {
            guard case .failure = SlashCommand.parse(bad) else {
                Issue.record("\(bad) parsed")
                continue
            }
        }
    }

    @Test func helpListsOnlyWhatYourRoleMayDo() {
        let member = SlashCommand.helpLines(kind: .participant, role: .participant).joined(separator: "\n")
        #expect(member.contains("/hand") && member.contains("/dm facilitators"))
        #expect(!member.contains("/ban") && !member.contains("/notes"))
        let facilitator = SlashCommand.helpLines(kind: .facilitator, role: .facilitator).joined(separator: "\n")
        #expect(facilitator.contains("/ban") && facilitator.contains("/side") && facilitator.contains("/original"))
    }
}
