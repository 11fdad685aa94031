import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Testing

/// Issue 16, item 4: moderation takes any member's name, quoted when it has spaces, or a number
/// from `/who`; and the role mark follows the server's word on roles.
@Suite struct MemberNamesTests {
    typealias Chat = ChatScreenTests
    static let max = Member(
        id: AccountID("u-max"), name: "Max 🌱", role: .participant, joinedAt: Timestamp(milliseconds: 5))

    static func state() -> ChatState {
        var state = Chat.state()
        state.apply(
            Event(
                room: Chat.room, seq: 1, session: 2, at: Chat.noon, actor: max.id, audience: .room,
                body: .memberJoined(member: max.id, name: max.name, role: .participant, invite: nil)))
        return state
    }

    @Test func aQuotedNameWithSpacesAndEmojiIsOneName() {
        #expect(
            SlashCommand.parse("/mute \"Max 🌱\" 10m please pause")
                == .success(.room(.mute(name: "Max 🌱", seconds: 600, reason: "please pause"))))
        #expect(SlashCommand.parse("/unmute \"Max 🌱\"") == .success(.room(.unmute(name: "Max 🌱"))))
        #expect(
            SlashCommand.parse("/kick \"Max 🌱\" take a breath")
                == .success(.room(.kick(name: "Max 🌱", reason: "take a breath"))))
        #expect(SlashCommand.parse("/give #3 2m") == .success(.room(.give(name: "#3", seconds: 120))))
        #expect(SlashCommand.parse("/redeem ABC \"Max 🌱\"") == .success(.redeem(code: "ABC", name: "Max 🌱")))
        // Free text keeps its quotes as typed.
        #expect(SlashCommand.parse("/say I said \"no\" twice") == .success(.say("I said \"no\" twice")))
        #expect(SlashCommand.parse("/who") == .success(.who))
    }

    @Test func anUnclosedQuoteSaysHowToWriteTheName() {
        guard case .failure(let error) = SlashCommand.parse("/mute \"Max 🌱 10m why") else {
            Issue.record("an unclosed quote parsed")
            return
        }
        #expect(error.description.contains("never closed"))
        #expect(error.description.contains("\"Max 🌱\""))
    }

    @Test func whoNumbersMembersAndTheNumberNamesThem() throws {
        let room = try #require(Self.state().currentRoom)
        #expect(
            room.whoLines(now: Chat.noon) == [
                "1. @Dana (facilitator), here", "2. Sam (participant), here", "3. Max 🌱 (participant), away",
            ])
        #expect(room.member(named: "3") == Self.max.id)
        #expect(room.member(named: "#1") == Chat.dana.id)
        #expect(room.member(named: "max 🌱") == Self.max.id)
        #expect(room.member(named: "@Dana") == Chat.dana.id)
        #expect(room.member(named: "4") == nil)
        #expect(room.member(named: "0") == nil)
        let action = SlashCommand.parse("/mute 3 5m pause")
        guard case .success(.room(let mute)) = action else {
            Issue.record("\(action)")
            return
        }
        guard case .memberMute(let body) = try mute.request(in: room).get() else {
            Issue.record("not a mute")
            return
        }
        #expect(body.member == Self.max.id)
    }

    @Test func tabCompletionQuotesANameWithSpacesInACommand() {
        var state = Self.state()
        for key in [Key.text("/mute Ma"), .tab] { _ = state.handle(key, paneHeight: 20) }
        #expect(state.input.text == "/mute \"Max 🌱\" ")
        state.input = InputLine()
        for key in [Key.text("/mute \"ma"), .tab] { _ = state.handle(key, paneHeight: 20) }
        #expect(state.input.text == "/mute \"Max 🌱\" ")
        state.input = InputLine()
        for key in [Key.text("hello Ma"), .tab] { _ = state.handle(key, paneHeight: 20) }
        #expect(state.input.text == "hello Max 🌱 ")
        state.input = InputLine()
        for key in [Key.text("/mute Sa"), .tab] { _ = state.handle(key, paneHeight: 20) }
        #expect(state.input.text == "/mute Sam ")
    }

    @Test func aRoleChangeMovesTheMarkOnEveryLine() {
        var state = Self.state()
        state.apply(Chat.message(2, Chat.sam, "I can lead the check-in"))
        var text = ScreenRenderer(width: 80, height: 24).render(state, now: Chat.noon).lines.map(\.text)
        #expect(text.contains { $0.hasSuffix(" Sam: I can lead the check-in") })
        state.apply(
            Event(
                room: Chat.room, seq: 3, session: 2, at: Chat.noon, actor: Chat.dana.id, audience: .room,
                body: .memberRoleChanged(member: Chat.sam.id, role: .coFacilitator)))
        text = ScreenRenderer(width: 80, height: 24).render(state, now: Chat.noon).lines.map(\.text)
        #expect(text.contains { $0.hasSuffix(" @Sam: I can lead the check-in") })
        #expect(state.currentRoom?.whoLines(now: Chat.noon)[1] == "2. @Sam (co-facilitator), here")
    }
}
