import CircleCore
import CircleProtocol
import CircleUI
import Testing

/// The client's view folds the room with the core's own `RoomFacts.apply`, so the two never
/// drift: the same log gives the same facts on both sides. Each case below was a drift between
/// two copies of the fold before.
@Suite struct OneFoldTests {
    typealias Chat = ChatScreenTests
    static let kim = AccountID("u-kim")

    static func log() -> [Event] {
        let dana = Chat.dana.id
        let sam = Chat.sam.id
        let at = Chat.noon
        let bodies: [(AccountID?, EventBody)] = [
            (dana, .roomCreated(name: "Tuesday group", ownerName: "Dana")),
            (sam, .memberJoined(member: sam, name: "Sam", role: .participant, invite: nil)),
            (kim, .memberJoined(member: kim, name: "Kim", role: .participant, invite: nil)),
            (dana, .floorModeSet(mode: .hands, seconds: nil)),
            (sam, .handRaised),
            (kim, .handRaised),
            // An observer no longer speaks: their hand goes down (the client kept it up).
            (dana, .memberRoleChanged(member: sam, role: .observer)),
            (dana, .floorGiven(member: kim, until: at.adding(seconds: 120))),
            // A kick takes the floor back, time and all (the client kept the holder's time).
            (dana, .memberKicked(member: kim, reason: "A breather.")),
            (kim, .memberJoined(member: kim, name: "Kim", role: .participant, invite: nil)),
            (
                dana,
                .roundStarted(
                    number: 1, kind: .checkIn, prompt: "Week?", queue: [kim], turnSeconds: 60, instrument: nil)
            ),
            (nil, .turnBegan(member: kim, endsAt: at.adding(seconds: 60))),
            (nil, .turnWarned(member: kim)),
            (dana, .turnExtended(member: kim, endsAt: at.adding(seconds: 120))),
            (dana, .turnEnded(member: kim, outcome: .skipped)),
            (kim, .sharedGoalProposed(goal: GoalID("s1"), text: "Start on time")),
            (dana, .sharedGoalDecided(goal: GoalID("s1"), accepted: true, reason: nil)),
            (dana, .sessionOpened(number: 1)),
            (dana, .agreementsSet(version: 2, text: "Be kind.")),
            (dana, .memberMuted(member: kim, until: at.adding(seconds: 60), reason: "A pause.")),
            (dana, .topicSet(text: "Sleep")),
            (dana, .roomLocked(true)),
            (dana, .directMessagesSet(allowed: true)),
            (dana, .memberUnmuted(member: kim)),
            (dana, .sessionClosed(number: 1)),
        ]
        return bodies.enumerated().map { index, pair in
            Event(
                room: Chat.room, seq: Int64(index + 1), session: nil, at: at, actor: pair.0, audience: .room,
                body: pair.1)
        }
    }

    @Test func theClientFoldsTheRoomAsTheServerDoes() {
        var state = RoomState(id: Chat.room)
        var view = RoomView(id: Chat.room, name: "Tuesday group", role: .participant)
        for (index, event) in Self.log().enumerated() {
            state.apply(event)
            view.apply(event)
            #expect(view.floor == state.floor, "after event \(index + 1)")
            #expect(view.round == state.round, "after event \(index + 1)")
            #expect(view.sharedGoals == state.sharedGoals, "after event \(index + 1)")
            #expect(view.facts == state.facts, "after event \(index + 1)")
        }
        #expect(view.topic == "Sleep" && view.locked && view.directMessages && view.agreementsVersion == 2)
        #expect(view.muted.isEmpty && view.session == nil)
        #expect(view.floor.hands.isEmpty && view.floor.holder == nil && view.floor.holderUntil == nil)
        #expect(view.round?.queue == [Self.kim] && view.round?.current == nil)
        #expect(view.sharedGoals.first?.status == .active)
    }

    @Test func aSideRoomAsksNoAgreementsOfTheClientEither() {
        var side = RoomView(id: RoomID("r-side"), name: "Side: Dana & Sam", role: .participant)
        side.agreementsVersion = 1
        side.parent = Chat.room
        #expect(!side.mustAccept)
        side.parent = nil
        #expect(side.mustAccept)
    }
}
