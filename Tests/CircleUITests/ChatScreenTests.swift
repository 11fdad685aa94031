import CircleCore
import CircleProtocol
import CircleUI
import Testing

@Suite struct ChatScreenTests {
    static let room = RoomID("r-1")
    static let dana = Member(
        id: AccountID("u-dana"), name: "Dana", role: .facilitator, joinedAt: Timestamp(milliseconds: 0))
    static let sam = Member(
        id: AccountID("u-sam"), name: "Sam", role: .participant, joinedAt: Timestamp(milliseconds: 0))
    static let noon = Timestamp(milliseconds: 12 * 3600 * 1000)

    static func state() -> ChatState {
        var state = ChatState()
        state.me = Reply.Account(id: sam.id, name: "Sam", kind: .participant)
        state.connection = .connected
        state.verbs = ["/join", "/help", "/history", "/open"]
        state.apply(
            Reply.Joined(
                room: room, name: "Tuesday group", role: .participant, session: 2,
                sessionStartedAt: Timestamp(milliseconds: noon.milliseconds - 42 * 60_000), through: 0,
                members: [dana, sam], online: [dana.id, sam.id]))
        state.switchTo(room)
        return state
    }

    static func message(_ seq: Int64, _ who: Member, _ text: String, cid: String? = nil) -> Event {
        Event(
            room: room, seq: seq, session: 2, at: noon, actor: who.id, audience: .room,
            body: .message(text: text, clientID: cid))
    }

    @Test func pagingBackOverAPurgedSessionShowsWhereItIsKept() {
        var state = Self.state()
        state.apply(Self.message(40, Self.dana, "Session two."))
        let span = PurgedSpan(
            room: Self.room, session: 1, first: 3, last: 30, archive: "archives/r-1/session-1.circle.gz")
        let page = Reply.History(
            events: [Self.message(1, Self.dana, "Hello."), Self.message(35, Self.sam, "Back again.")], more: false,
            members: [Self.dana, Self.sam], purged: [span])
        state.rooms[Self.room]?.prepend(page.items, at: Self.noon)
        let text = ScreenRenderer(width: 200, height: 24).render(state, now: Self.noon).lines.map(\.text)
        let hello = text.firstIndex { $0.contains("Hello.") }
        let kept = text.firstIndex { $0.contains("Session 1 (events 3–30) is no longer on the server") }
        let back = text.firstIndex { $0.contains("Back again.") }
        #expect(hello != nil && kept != nil && back != nil)
        #expect(hello! < kept! && kept! < back!)
    }

    @Test func aConversationAt80x24() {
        var state = Self.state()
        state.apply(Self.message(1, Self.dana, "Welcome, everyone."))
        state.apply(Self.message(2, Self.sam, "Thanks. This week was hard but I walked three times."))
        let frame = ScreenRenderer(width: 80, height: 24).render(state, now: Self.noon)
        let text = frame.lines.map(\.text)
        #expect(text.count == 24)
        #expect(text[20] == "12:00 @Dana: Welcome, everyone.")
        #expect(text[21] == "12:00 Sam: Thanks. This week was hard but I walked three times.")
        #expect(text[22].hasPrefix(" ● connected │ Tuesday group │ session 2 open 0:42 │ Sam (participant)"))
        #expect(CharacterWidth.of(text[22]) == 80)
        #expect(text[23] == "> ")
        #expect(frame.cursor.row == 23 && frame.cursor.column == 2)
    }

    @Test func namesKeepTheirColourAndFacilitatorsAreMarked() {
        var state = Self.state()
        state.apply(Self.message(1, Self.dana, "one"))
        state.apply(Self.message(2, Self.dana, "two"))
        let lines = ScreenRenderer(width: 80, height: 24).render(state, now: Self.noon).lines
        let names = lines.compactMap { line in line.spans.first { $0.text.hasPrefix("@Dana") } }
        #expect(names.count == 2)
        #expect(names[0].style == names[1].style)
        #expect(names[0].style.color == MemberColor.of(Self.dana.id))
    }

    @Test func longMessagesWrapUnderTheirText() {
        var state = Self.state()
        state.apply(Self.message(1, Self.sam, String(repeating: "word ", count: 30)))
        let lines = ScreenRenderer(width: 40, height: 24).render(state, now: Self.noon).lines.map(\.text)
        let body = lines.filter { $0.contains("word") }
        #expect(body.count > 3)
        #expect(body.dropFirst().allSatisfy { $0.hasPrefix("      word") })
        #expect(lines.allSatisfy { CharacterWidth.of($0) <= 40 })
    }

    @Test func pendingMessagesShowAsSendingUntilTheirEventArrives() {
        var state = Self.state()
        state.pending = [PendingMessage(room: Self.room, text: "offline note", clientID: "c-9", typedAt: Self.noon)]
        state.connection = .reconnecting(retryAt: Timestamp(milliseconds: Self.noon.milliseconds + 3000), reason: "x")
        var text = ScreenRenderer(width: 80, height: 24).render(state, now: Self.noon).lines.map(\.text)
        #expect(text.contains("12:00 Sam: offline note (sending…)"))
        #expect(text[22].hasPrefix(" ○ reconnecting in 3 s"))
        #expect(text[22].contains("1 unsent"))
        state.apply(Self.message(1, Self.sam, "offline note", cid: "c-9"))
        #expect(state.pending.isEmpty)
        text = ScreenRenderer(width: 80, height: 24).render(state, now: Self.noon).lines.map(\.text)
        #expect(text.contains("12:00 Sam: offline note"))
    }

    @Test func eventsAreAppliedOnceAndOtherRoomsCountUnread() {
        var state = Self.state()
        let other = RoomID("r-2")
        state.apply(
            Reply.Rooms(rooms: [.init(id: other, name: "Monday", role: .participant, session: nil, members: 3)]))
        let event = Self.message(1, Self.dana, "once")
        state.apply(event)
        state.apply(event)
        #expect(state.currentRoom?.timeline.count == 1)
        var elsewhere = Self.message(1, Self.dana, "over there")
        elsewhere.room = other
        state.apply(elsewhere)
        #expect(state.rooms[other]?.unread == 1)
        let bar = ScreenRenderer(width: 100, height: 10).render(state, now: Self.noon).lines[8].text
        #expect(bar.contains("unread: Monday 1"))
        _ = state.handle(.control("n"), paneHeight: 8)
        #expect(state.current == other)
        #expect(state.rooms[other]?.unread == 0)
    }

    @Test func scrollingShowsOlderLinesAndAsksForMoreAtTheTop() {
        var state = Self.state()
        for seq in Int64(5)...40 { state.apply(Self.message(seq, Self.dana, "line \(seq)")) }
        let renderer = ScreenRenderer(width: 80, height: 12)
        var frame = renderer.render(state, now: Self.noon)
        #expect(frame.lines[9].text.hasSuffix("line 40"))
        _ = state.handle(.pageUp, paneHeight: frame.paneHeight)
        frame = renderer.render(state, now: Self.noon)
        #expect(frame.lines[9].text.hasSuffix("line 31"))
        #expect(frame.lines[10].text.contains("scrolled"))
        _ = state.handle(.home, paneHeight: frame.paneHeight)
        frame = renderer.render(state, now: Self.noon)
        state.atTop = frame.atTop
        #expect(frame.lines[0].text.hasSuffix("line 5"))
        #expect(state.handle(.pageUp, paneHeight: frame.paneHeight) == .loadOlder(Self.room, before: 5))
        _ = state.handle(.end, paneHeight: frame.paneHeight)
        #expect(state.scroll == 0)
    }

    @Test func tabCompletesCommandsAndNames() {
        var state = Self.state()
        for key in [Key.text("/jo"), .tab] { _ = state.handle(key, paneHeight: 20) }
        #expect(state.input.text == "/join ")
        state.input = InputLine()
        for key in [Key.text("d"), .tab] { _ = state.handle(key, paneHeight: 20) }
        #expect(state.input.text == "Dana: ")
        state.input = InputLine()
        for key in [Key.text("thanks s"), .tab] { _ = state.handle(key, paneHeight: 20) }
        #expect(state.input.text == "thanks Sam ")
        state.input = InputLine()
        for key in [Key.text("/h"), .tab] { _ = state.handle(key, paneHeight: 20) }
        #expect(state.input.text == "/h")
        #expect(state.hint == "/help  /history")
    }

    @Test func aMemberWhoHasNotAcceptedSeesTheAgreementsAndAReminder() {
        var state = ChatState()
        state.me = Reply.Account(id: Self.sam.id, name: "Sam", kind: .participant)
        state.apply(
            Reply.Joined(
                room: Self.room, name: "Tuesday group", role: .participant, session: nil, through: 0,
                members: [Self.dana, Self.sam], online: [], agreementsVersion: 1,
                agreements: "What is said here stays here.", acceptedVersion: 0))
        state.switchTo(Self.room)
        let text = ScreenRenderer(width: 100, height: 12).render(state, now: Self.noon).lines.map(\.text)
        #expect(text.contains { $0.contains("What is said here stays here.") })
        #expect(text.contains { $0.contains("type /accept to agree") })
        #expect(text[10].contains("/accept the agreements"))
        state.apply(
            Event(
                room: Self.room, seq: 1, session: nil, at: Self.noon, actor: Self.sam.id, audience: .room,
                body: .agreementsAccepted(version: 1)))
        #expect(state.currentRoom?.mustAccept == false)
    }

    @Test func aHelpSignalStandsOutForFacilitators() {
        var state = Self.state()
        state.apply(
            Event(
                room: Self.room, seq: 1, session: 2, at: Self.noon, actor: Self.sam.id, audience: .facilitators,
                body: .helpRequested(note: "after the session?")))
        let lines = ScreenRenderer(width: 80, height: 24).render(state, now: Self.noon).lines
        let alert = lines.first { $0.text.contains("Sam privately asked for help: after the session?") }
        #expect(alert?.spans.last?.style.color == .red)
    }

    @Test func aMutedMemberSeesUntilWhenInTheStatusBar() {
        var state = Self.state()
        state.apply(
            Event(
                room: Self.room, seq: 1, session: 2, at: Self.noon, actor: Self.dana.id, audience: .room,
                body: .memberMuted(
                    member: Self.sam.id, until: Timestamp(milliseconds: Self.noon.milliseconds + 600_000),
                    reason: "Let's give others a turn.")))
        let lines = ScreenRenderer(width: 120, height: 12).render(state, now: Self.noon).lines.map(\.text)
        #expect(lines.contains { $0.contains("* Dana muted Sam until 12:10: Let's give others a turn.") })
        #expect(lines[10].contains("muted until 12:10"))
        let later = ScreenRenderer(width: 120, height: 12).render(
            state, now: Timestamp(milliseconds: Self.noon.milliseconds + 601_000))
        #expect(!later.lines[10].text.contains("muted"))
    }

    @Test func enterSubmitsAndCtrlCQuits() {
        var state = Self.state()
        _ = state.handle(.text("hello"), paneHeight: 20)
        #expect(state.handle(.enter, paneHeight: 20) == .submit("hello"))
        #expect(state.input.isEmpty)
        #expect(state.handle(.enter, paneHeight: 20) == nil)
        #expect(state.handle(.control("c"), paneHeight: 20) == .quit)
    }

    @Test func aMessageNamingYouStandsOutInBoldToo() {
        #expect(Mention.of("Sam", in: "thanks, sam!") && Mention.of("Sam", in: "@Sam: you first"))
        #expect(!Mention.of("Sam", in: "Samantha said") && !Mention.of("Sam", in: "sesame"))
        #expect(Mention.of("Max 🌱", in: "over to Max 🌱, then") && !Mention.of("", in: "anything"))
        var state = Self.state()
        state.apply(Self.message(1, Self.dana, "Sam, would you like to start?"))
        state.apply(Self.message(2, Self.dana, "Samantha is not in this group."))
        state.apply(Self.message(3, Self.sam, "Sam here, yes."))
        let lines = ScreenRenderer(width: 80, height: 24).render(state, now: Self.noon).lines
        func body(_ text: String) -> Style? {
            lines.first { $0.text.contains(text) }?.spans.last?.style
        }
        #expect(body("would you like to start?")?.bold == true)
        #expect(body("Samantha is not") == .plain)
        #expect(body("Sam here, yes.") == .plain)
    }

    @Test func aRoleChangeShowsInYourOwnBarAndOnYourLines() {
        var state = Self.state()
        state.apply(Self.message(1, Self.sam, "Before."))
        let change = Event(
            room: Self.room, seq: 2, session: 2, at: Self.noon, actor: Self.dana.id, audience: .room,
            body: .memberRoleChanged(member: Self.sam.id, role: .coFacilitator))
        state.apply(change)
        let text = ScreenRenderer(width: 120, height: 12).render(state, now: Self.noon).lines.map(\.text)
        #expect(text[10].contains("Sam (co-facilitator)"), "\(text[10])")
        #expect(text.contains { $0.contains("12:00 @Sam: Before.") })
        #expect(state.currentRoom?.role == .coFacilitator)
        // Someone else's change leaves your own role alone.
        state.apply(
            Event(
                room: Self.room, seq: 3, session: 2, at: Self.noon, actor: Self.dana.id, audience: .room,
                body: .memberRoleChanged(member: Self.dana.id, role: .coFacilitator)))
        #expect(state.currentRoom?.role == .coFacilitator)
        #expect(state.currentRoom?.members[Self.dana.id]?.role == .coFacilitator)
    }

    @Test func aSideRoomIsOfferedAndTheScreenStaysWithTheGroup() {
        var state = Self.state()
        let side = RoomID("r-side")
        let opened = Event(
            room: Self.room, seq: 5, session: 2, at: Self.noon, actor: Self.dana.id,
            audience: .facilitatorsAnd(Self.sam.id), body: .sideRoomOpened(room: side, member: Self.sam.id))
        state.apply(opened)
        state.offerSideRoom(side, from: opened)
        #expect(state.current == Self.room)
        #expect(!state.roomOrder.contains(side))
        #expect(state.findRoom("side") == side)
        let text = ScreenRenderer(width: 200, height: 12).render(state, now: Self.noon).lines.map(\.text)
        #expect(text.contains { $0.contains("Dana asks to talk with you in a side room, just the two of you.") })
        #expect(text[10].contains("Tuesday group"))
        // Offered once: the same offer again changes nothing.
        state.offerSideRoom(side, from: opened)
        let again = ScreenRenderer(width: 200, height: 12).render(state, now: Self.noon).lines.map(\.text)
        #expect(again.filter { $0.contains("asks to talk") }.count == 1)
    }

    @Test func whatIsNewSinceYouWereLastHereIsMarked() {
        // From an earlier run: read up to #2.
        var state = ChatState()
        state.me = Reply.Account(id: Self.sam.id, name: "Sam", kind: .participant)
        state.seenBefore = [Self.room: 2]
        state.rooms[Self.room] = RoomView(id: Self.room, name: "Tuesday group", role: .participant)
        state.switchTo(Self.room)
        for (seq, text) in [(1, "One."), (2, "Two."), (3, "Three.")] {
            state.apply(Self.message(Int64(seq), Self.dana, text))
        }
        func pane() -> [String] {
            ScreenRenderer(width: 60, height: 14).render(state, now: Self.noon).lines.map(\.text)
        }
        var text = pane()
        let mark = text.firstIndex { $0.contains("new since you were last here") }
        #expect(mark != nil && text[mark! - 1].contains("Two.") && text[mark! + 1].contains("Three."), "\(text)")

        // A drop: what arrives after it is new, your own words aside.
        state.disconnected()
        state.apply(Self.message(4, Self.sam, "Mine."))
        state.apply(Self.message(5, Self.dana, "Five."))
        text = pane()
        #expect(text.filter { $0.contains("new since you were last here") }.count == 1)
        let moved = text.firstIndex { $0.contains("new since you were last here") }
        #expect(moved != nil && text[moved! - 1].contains("Mine.") && text[moved! + 1].contains("Five."), "\(text)")
    }

    @Test func theMemberListSitsBesideAWideScreenAndIsOnCtrlOWhenNarrow() {
        var state = Self.state()
        let kim = Member(id: AccountID("u-kim"), name: "Kim", role: .participant, joinedAt: Self.noon)
        state.apply(Self.message(1, Self.dana, "Welcome."))
        state.rooms[Self.room]?.members[kim.id] = kim
        state.rooms[Self.room]?.muted[Self.sam.id] = Sanction(until: nil, reason: "A pause.")
        var text = ScreenRenderer(width: 120, height: 12).render(state, now: Self.noon).lines.map(\.text)
        #expect(text[0].hasSuffix("│ Members: 2 of 3 here"), "\(text[0])")
        #expect(text[1].hasSuffix("│ 1 ● @Dana"))
        #expect(text[2].hasSuffix("│ 2 ● Sam (muted)"))
        #expect(text[3].hasSuffix("│ 3 ○ Kim"))
        #expect(text[9].hasPrefix("12:00 @Dana: Welcome.") && text[9].contains("│"))
        #expect(text.allSatisfy { CharacterWidth.of($0) <= 120 })

        // Live: Kim comes online.
        state.apply(Presence(room: Self.room, member: kim.id, name: "Kim", online: true))
        text = ScreenRenderer(width: 120, height: 12).render(state, now: Self.noon).lines.map(\.text)
        #expect(text[3].hasSuffix("│ 3 ● Kim"))

        // Narrow: the messages, until Ctrl-O shows the list in their place (and Ctrl-O again hides it).
        let narrow = ScreenRenderer(width: 60, height: 12)
        #expect(!narrow.render(state, now: Self.noon).lines.contains { $0.text.contains("Members:") })
        _ = state.handle(.control("o"), paneHeight: 10)
        text = narrow.render(state, now: Self.noon).lines.map(\.text)
        #expect(text.contains { $0.hasPrefix("Members: 3 of 3 here") } && !text.contains { $0.contains("Welcome.") })
        // …and on a wide screen the same key hides it.
        text = ScreenRenderer(width: 120, height: 12).render(state, now: Self.noon).lines.map(\.text)
        #expect(!text.contains { $0.contains("Members:") })
    }

    @Test func ctrlCOverADraftAsksFirst() {
        var state = Self.state()
        _ = state.handle(.text("I wanted to say"), paneHeight: 20)
        #expect(state.handle(.control("c"), paneHeight: 20) == nil)
        #expect(state.hint == "Press Ctrl-C again to quit and lose what you typed; any other key keeps it.")
        let lines = ScreenRenderer(width: 100, height: 12).render(state, now: Self.noon).lines.map(\.text)
        #expect(lines.contains { $0.contains("Press Ctrl-C again to quit") })
        // Any other key keeps the draft and asks again next time.
        _ = state.handle(.text("…"), paneHeight: 20)
        #expect(state.input.text == "I wanted to say…" && state.hint == nil)
        #expect(state.handle(.control("c"), paneHeight: 20) == nil)
        #expect(state.handle(.control("c"), paneHeight: 20) == .quit)
    }

    @Test func thePainterRedrawsOnlyChangedRowsAndHonoursNoColor() {
        var state = Self.state()
        state.apply(Self.message(1, Self.dana, "hi"))
        let renderer = ScreenRenderer(width: 40, height: 6)
        var painter = ScreenPainter(colors: false)
        let first = painter.paint(renderer.render(state, now: Self.noon))
        #expect(first.contains("\u{1B}[2J"))
        #expect(!first.contains(";36m") && !first.contains(";32m"))
        _ = state.handle(.text("x"), paneHeight: 4)
        let second = painter.paint(renderer.render(state, now: Self.noon))
        #expect(!second.contains("\u{1B}[2J"))
        #expect(second.contains("\u{1B}[6;1H"))
        #expect(!second.contains("\u{1B}[1;1H"))
        var colored = ScreenPainter(colors: true)
        #expect(
            colored.paint(renderer.render(state, now: Self.noon)).contains(";\(MemberColor.of(Self.dana.id).rawValue)m")
        )
    }

    @Test func aMessageCannotSendItsOwnEscapesToTheTerminal() {
        var state = Self.state()
        state.apply(Self.message(1, Self.sam, "\u{1B}]0;pwned\u{07}\u{1B}[2J\tgotcha \u{202E}evil"))
        let frame = ScreenRenderer(width: 80, height: 6).render(state, now: Self.noon)
        #expect(frame.lines.allSatisfy { $0.width <= 80 })
        var painter = ScreenPainter(colors: true)
        let painted = painter.paint(frame)
        #expect(painted.contains("^[]0;pwned^G^[[2J gotcha <U+202E>evil"))
        #expect(!painted.contains("\u{1B}]0;"))
        #expect(!painted.unicodeScalars.contains { $0.value == 0x07 || $0.value == 0x09 || $0.value == 0x202E })
        // Every ESC left is the painter's own CSI; it clears the screen once, on its first frame.
        let sequences = painted.split(separator: "\u{1B}")
        #expect(sequences.allSatisfy { $0.hasPrefix("[") })
        #expect(sequences.filter { $0.hasPrefix("[2J") }.count == 1)
    }

    @Test func laterLinesOfAMessageAreIndentedUnderItsAuthor() {
        var state = Self.state()
        state.apply(Self.message(1, Self.sam, "first\n12:01 @Dana: you may all leave now"))
        let text = ScreenRenderer(width: 80, height: 24).render(state, now: Self.noon).lines.map(\.text)
        #expect(text[20] == "12:00 Sam: first")
        #expect(text[21] == "      12:01 @Dana: you may all leave now")
    }
}

@Suite struct CivilDayTests {
    @Test func daysAndWeekdaysAcrossYearsAndOffsets() {
        // 2026-12-10 09:12 UTC was a Thursday.
        let moment = Timestamp(milliseconds: 1_796_893_920_000)
        #expect(CivilDay.moment(moment, utcOffset: 0) == "Thu 10 Dec 2026 09:12")
        #expect(CivilDay.moment(moment, utcOffset: -10 * 3600) == "Wed 9 Dec 2026 23:12")
        #expect(CivilDay(Timestamp(milliseconds: 0), utcOffset: 0).text == "Thu 1 Jan 1970")
        #expect(CivilDay(Timestamp(milliseconds: 951_782_400_000), utcOffset: 0).text == "Tue 29 Feb 2000")
    }

    @Test func aDaySeparatorWhereTheDayChanges() {
        var state = ChatScreenTests.state()
        state.apply(ChatScreenTests.message(1, ChatScreenTests.dana, "Before midnight."))
        var later = ChatScreenTests.message(2, ChatScreenTests.sam, "Next morning.")
        later.at = ChatScreenTests.noon.adding(seconds: 20 * 3600)
        state.apply(later)
        let text = ScreenRenderer(width: 60, height: 24).render(state, now: later.at).lines.map(\.text)
        let before = text.firstIndex { $0.contains("Before midnight.") }
        let separator = text.firstIndex { $0.contains("── Fri 2 Jan 1970 ──") }
        let after = text.firstIndex { $0.contains("Next morning.") }
        #expect(before != nil && separator == before.map { $0 + 1 } && after == separator.map { $0 + 1 }, "\(text)")
        #expect(text.filter { $0.contains("──") && $0.contains("1970") }.count == 1)
    }

    @Test func anInviteShowsTheDayItExpires() {
        var state = ChatScreenTests.state()
        let expires = Timestamp(milliseconds: ChatScreenTests.noon.milliseconds + 7 * 86_400_000)
        state.apply(
            Event(
                room: ChatScreenTests.room, seq: 1, session: 2, at: ChatScreenTests.noon,
                actor: ChatScreenTests.dana.id, audience: .room,
                body: .inviteCreated(invite: InviteID("i-1"), uses: 1, expiresAt: expires, role: .participant)))
        let text = ScreenRenderer(width: 140, height: 24).render(state, now: ChatScreenTests.noon).lines.map(\.text)
        #expect(text.contains { $0.contains("Dana created an invite for 1 person, valid until Thu 8 Jan 1970 12:00") })
    }
}

@Suite struct ReplayTests {
    @Test func historySentWithAJoinIsNotLive() {
        typealias Chat = ChatScreenTests
        var room = RoomView(id: Chat.room, name: "Tuesday group", role: .participant)
        let turn = Event(
            room: Chat.room, seq: 7, session: 2, at: Chat.noon, actor: nil, audience: .room,
            body: .turnBegan(member: Chat.sam.id, endsAt: nil))
        // Before the join's reply is applied, whatever arrives is history.
        #expect(!room.isLive(turn))
        room.apply(
            Reply.Joined(
                room: Chat.room, name: "Tuesday group", role: .participant, session: 2, sessionStartedAt: Chat.noon,
                through: 9, members: [Chat.dana, Chat.sam], online: []))
        #expect(!room.isLive(turn))
        var now = turn
        now.seq = 10
        #expect(room.isLive(now))
    }
}
