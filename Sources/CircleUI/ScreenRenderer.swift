import CircleCore

/// Lays the chat state out on a screen of a given size: the message pane, a status bar and the
/// input line. Pure: the same state, size and time always give the same rows.
public struct ScreenRenderer: Sendable {
    public struct Frame: Hashable, Sendable {
        public var lines: [StyledLine]
        /// Where the terminal cursor goes (row and column, from 0).
        public var cursor: (row: Int, column: Int)
        /// Whether the pane shows the oldest loaded line.
        public var atTop: Bool
        /// Lines the pane shows.
        public var paneHeight: Int

        public static func == (lhs: Frame, rhs: Frame) -> Bool {
            lhs.lines == rhs.lines && lhs.cursor == rhs.cursor && lhs.atTop == rhs.atTop
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(lines)
        }
    }

    public var width: Int
    public var height: Int
    /// Seconds east of UTC, for clock times.
    public var utcOffset: Int

    public init(width: Int, height: Int, utcOffset: Int = 0) {
        self.width = max(width, 20)
        self.height = max(height, 4)
        self.utcOffset = utcOffset
    }

    /// From this width the member list sits beside the messages; below it, it is on Ctrl-O.
    public static let sidePaneFromWidth = 100
    /// The member list's width beside the messages, its border included.
    static let sidePaneWidth = 24

    public func render(_ state: ChatState, now: Timestamp) -> Frame {
        let paneHeight = height - 2
        let room = state.currentRoom
        let wide = width >= Self.sidePaneFromWidth
        // Wide, the list shows unless Ctrl-O hid it; narrow, Ctrl-O shows it in the pane's place.
        let beside = room != nil && wide && !state.membersToggled
        let instead = room != nil && !wide && state.membersToggled
        let messages =
            beside ? ScreenRenderer(width: width - Self.sidePaneWidth, height: height, utcOffset: utcOffset) : self
        var pane = messages.paneLines(state)
        if instead, let room { pane = memberLines(room, now: now, width: width) }
        let maxScroll = max(0, pane.count - paneHeight)
        let scroll = instead ? 0 : min(state.scroll, maxScroll)
        let end = pane.count - scroll
        pane = Array(pane[max(0, end - paneHeight)..<end])
        while pane.count < paneHeight { pane.insert(StyledLine(), at: 0) }
        if beside, let room {
            let side = memberLines(room, now: now, width: Self.sidePaneWidth - 2)
            let border = StyledLine.Span("│ ", Style(dim: true))
            pane = pane.enumerated().map { row, line in
                let member = row < side.count ? side[row].spans : []
                return StyledLine(line.padded(to: messages.width).spans + [border] + member)
            }
        }
        if let hint = state.hint { pane[paneHeight - 1] = StyledLine(TerminalText.safe(hint), Style(dim: true)) }

        let prompt = "> "
        let (visible, column) = state.input.visible(width: width - prompt.count)
        var lines = pane.map { $0.truncated(to: width) }
        lines.append(statusBar(state, now: now, scrolled: scroll > 0))
        lines.append(StyledLine([.init(prompt, Style(bold: true)), .init(visible)]))
        return Frame(
            lines: lines, cursor: (height - 1, prompt.count + column), atTop: scroll >= maxScroll,
            paneHeight: paneHeight)
    }

    // MARK: The message pane

    func paneLines(_ state: ChatState) -> [StyledLine] {
        guard let room = state.currentRoom else {
            var lines = TextWrap.lines(
                "Welcome to Circle. /rooms lists your rooms, /join ROOM opens one, /help lists commands.",
                width: width
            ).map { StyledLine($0, Style(dim: true)) }
            for entry in state.lobby { lines += self.lines(for: entry, in: nil) }
            return lines
        }
        var lines: [StyledLine] = []
        var lastDay: CivilDay?
        let me = state.me.map { room.members[$0.id]?.name ?? $0.name }
        // What you wrote yourself you have seen: the mark goes before the first of others' words.
        let firstNew = room.seenThrough.flatMap { seen in
            room.timeline.firstIndex { entry in
                guard case .event(let event) = entry else { return false }
                return event.seq > seen && event.actor != state.me?.id
            }
        }
        for (index, entry) in room.timeline.enumerated() {
            if index == firstNew { lines.append(rule(" new since you were last here ", style: Style(color: .red))) }
            if Self.turnOfSomeoneAway(entry, next: room.timeline.dropFirst(index + 1).first) { continue }
            // Lines carry only a time of day, so the day is said where it changes.
            let day = CivilDay(entry.at, utcOffset: utcOffset)
            if let lastDay, day != lastDay { lines.append(daySeparator(day)) }
            lastDay = day
            lines += self.lines(for: entry, in: room, me: me)
        }
        for message in state.pending where message.room == room.id {
            lines += wrapped(
                time: message.typedAt, head: [.init((me ?? "you") + ": ", Style(dim: true))],
                body: message.text + " (sending…)", style: Style(dim: true))
        }
        return lines
    }

    /// The member list, in `/who`'s order and numbers: who is here (●) or away (○), the role's
    /// mark, and who is muted. Updated with every presence and membership event.
    func memberLines(_ room: RoomView, now: Timestamp, width: Int) -> [StyledLine] {
        let here = room.roster.filter { room.online.contains($0.id) }.count
        var lines = [StyledLine(TerminalText.safe("Members: \(here) of \(room.members.count) here"), Style(bold: true))]
        for (index, member) in room.roster.enumerated() {
            let online = room.online.contains(member.id)
            let muted = room.muted[member.id]?.holds(at: now) ?? false
            let name = TerminalText.safe("\(index + 1) \(online ? "●" : "○") \(member.role.mark)\(member.name)")
            var spans = [StyledLine.Span(name, online ? Style(color: MemberColor.of(member.id)) : Style(dim: true))]
            if muted { spans.append(.init(" (muted)", Style(color: .yellow))) }
            lines.append(StyledLine(spans).truncated(to: width))
        }
        return lines
    }

    /// A turn that began for a member who was not there and ended at once: its end ("Kim is
    /// away and comes back at the end") says all of it, so the beginning takes no line.
    static func turnOfSomeoneAway(_ entry: TimelineEntry, next: TimelineEntry?) -> Bool {
        guard case .event(let began) = entry, case .turnBegan(let member, _) = began.body,
            case .event(let ended) = next, case .turnEnded(member, let outcome) = ended.body
        else { return false }
        return outcome == .away || outcome == .absent
    }

    /// `──── Thu 10 Dec 2026 ────`, across the pane.
    func daySeparator(_ day: CivilDay) -> StyledLine {
        rule(" \(day.text) ", style: Style(dim: true))
    }

    /// `──── label ────`, centred across the pane.
    func rule(_ label: String, style: Style) -> StyledLine {
        let side = max(2, (width - label.count) / 2)
        let line = String(repeating: "─", count: side)
        return StyledLine(String((line + label + line).prefix(width)), style)
    }

    /// `me`: the reader's name in the room, so that a message naming them stands out.
    func lines(for entry: TimelineEntry, in room: RoomView?, me: String? = nil) -> [StyledLine] {
        switch entry {
        case .notice(let text, let isError, let at):
            let style = isError ? Style(color: .red) : Style(dim: true)
            return wrapped(time: at, head: [.init(isError ? "! " : "- ", style)], body: text, style: style)
        case .event(let event):
            let name = { (account: AccountID?) in room?.name(of: account) ?? account?.rawValue ?? "server" }
            let mark = { (account: AccountID?) in account.flatMap { room?.members[$0]?.role.mark } ?? "" }
            let wording = EventWording.of(
                event, name: name, clock: clockText, day: { CivilDay($0, utcOffset: utcOffset).text },
                goal: { room?.goalNames[$0] })
            switch wording.tone {
            case .speech, .privateSpeech:
                let nameStyle = Style(color: event.actor.map(MemberColor.of), bold: true)
                var head: [StyledLine.Span] = [.init(mark(event.actor) + name(event.actor), nameStyle)]
                if let privately = wording.privately { head.append(.init(" (\(privately))", Style(color: .magenta))) }
                // Bold as well as coloured, so a mention stands out on a monochrome terminal too.
                let mentioned = me.map { Mention.of($0, in: wording.text) } == true && name(event.actor) != me
                return wrapped(
                    time: event.at, head: head + [.init(": ")], body: wording.text,
                    style: mentioned ? Style(color: .brightYellow, bold: true) : .plain)
            case .system:
                return wrapped(time: event.at, head: [], body: "* " + wording.text, style: Style(dim: true))
            case .moderation:
                return wrapped(time: event.at, head: [], body: "* " + wording.text, style: Style(color: .yellow))
            case .alert:
                let alert = Style(color: .red, bold: true)
                return wrapped(time: event.at, head: [.init("! ", alert)], body: wording.text, style: alert)
            case .round:
                return wrapped(
                    time: event.at, head: [.init("○ ", Style(color: .cyan, bold: true))], body: wording.text,
                    style: Style(color: .cyan))
            case .checkIn:
                let nameStyle = Style(color: event.actor.map(MemberColor.of), bold: true)
                return wrapped(
                    time: event.at,
                    head: [.init(mark(wording.speaker) + name(wording.speaker), nameStyle), .init(" ")],
                    body: wording.text,
                    style: Style(color: .cyan))
            case .card:
                return wrapped(
                    time: event.at, head: [.init("♥ ", Style(color: .yellow, bold: true))], body: wording.text,
                    style: Style(color: .yellow))
            }
        }
    }

    /// `HH:MM head body`, with continuation lines (wrapped or after a newline) indented under
    /// the head's start, so no line of a message begins where a timestamp would.
    func wrapped(time: Timestamp, head: [StyledLine.Span], body: String, style: Style) -> [StyledLine] {
        let clock = StyledLine.Span(clockText(time) + " ", Style(dim: true))
        let indent = CharacterWidth.of(clock.text)
        // Escaped before wrapping, so rows are measured as the painter will draw them (`^[` takes
        // two columns where ESC took none); the painter's own escaping then changes nothing.
        let head = head.map { StyledLine.Span(TerminalText.safe($0.text), $0.style) }
        let body = TerminalText.safeLines(body)
        let headText = head.map(\.text).joined()
        let rows = TextWrap.lines(headText + body, width: width - indent)
        var result: [StyledLine] = []
        for (index, row) in rows.enumerated() {
            if index == 0 {
                let rest = String(row.dropFirst(headText.count))
                result.append(StyledLine([clock] + head + [.init(rest, style)]))
            } else {
                result.append(StyledLine([.init(String(repeating: " ", count: indent)), .init(row, style)]))
            }
        }
        return result
    }

    func clockText(_ time: Timestamp) -> String {
        CivilDay.clock(time, utcOffset: utcOffset)
    }

    // MARK: The status bar

    /// One fact in the status bar: the higher its rank the sooner it gives way; some have a
    /// shorter way to say it, and some (`keep`) are shortened but never left out.
    struct BarPart {
        var span: StyledLine.Span
        var rank: Int
        var short: String?
        var keep: Bool

        init(_ text: String, _ style: Style, rank: Int, short: String? = nil, keep: Bool = false) {
            // Room and member names are stored text: escaped before measuring, for the same widths.
            span = .init(TerminalText.safe(text), style)
            self.rank = rank
            self.short = short
            self.keep = keep
        }
    }

    /// The status bar. Its facts keep their places, but at a narrow width the least important
    /// give way first (said shorter, or left out), so the round's turn and time left are never cut.
    func statusBar(_ state: ChatState, now: Timestamp, scrolled: Bool) -> StyledLine {
        let bar = Style(reverse: true)
        var parts = barParts(state, now: now, scrolled: scrolled, bar: bar)
        var dropped = Set<Int>()
        func used() -> Int {
            parts.indices.filter { !dropped.contains($0) }.reduce(0) { $0 + CharacterWidth.of(parts[$1].span.text) }
        }
        let leastFirst = parts.indices.sorted { (parts[$0].rank, $0) > (parts[$1].rank, $1) }
        // Least important first: said shorter if that is enough, else left out.
        for index in leastFirst where used() > width {
            if let short = parts[index].short { parts[index].span.text = short }
            if used() > width && !parts[index].keep { dropped.insert(index) }
        }
        let kept = parts.indices.filter { !dropped.contains($0) }.map { parts[$0].span }
        return StyledLine(kept).padded(to: width, style: bar)
    }

    private func barParts(_ state: ChatState, now: Timestamp, scrolled: Bool, bar: Style) -> [BarPart] {
        var parts: [BarPart] = []
        let warning = Style(color: .yellow, reverse: true)
        switch state.connection {
        case .connecting:
            parts.append(.init(" ○ connecting…", warning, rank: 1, short: " ○", keep: true))
        case .connected:
            parts.append(.init(" ● connected", Style(color: .green, reverse: true), rank: 9, short: " ●", keep: true))
        case .reconnecting(let retryAt, _):
            let seconds = max(0, (retryAt.milliseconds - now.milliseconds + 999) / 1000)
            parts.append(
                .init(" ○ reconnecting in \(seconds) s", warning, rank: 1, short: " ○ \(seconds) s", keep: true))
        case .signedOut:
            parts.append(
                .init(" ○ signed out: press Enter to sign in", warning, rank: 1, short: " ○ signed out", keep: true))
        }
        let room = state.currentRoom
        if let room {
            parts.append(.init(" │ \(room.name)", Style(bold: true, reverse: true), rank: 5))
            if let session = room.session {
                let clock = room.sessionStartedAt.map { " " + elapsed(from: $0, to: now) } ?? ""
                parts.append(.init(" │ session \(session) open" + clock, bar, rank: 6, short: " │ open" + clock))
            } else {
                parts.append(.init(" │ no session open", bar, rank: 6, short: " │ closed"))
            }
        }
        if let room, let me = state.me?.id, let mute = room.muted[me], mute.holds(at: now) {
            let text = mute.until.map { " │ muted until " + clockText($0) } ?? " │ muted until lifted"
            parts.append(.init(text, Style(color: .yellow, bold: true, reverse: true), rank: 2, short: " │ muted"))
        }
        if let room, let round = roundText(room, me: state.me?.id, now: now) {
            let mine = room.round?.current != nil && room.round?.current == state.me?.id
            let style = Style(color: mine ? .green : .cyan, bold: true, reverse: true)
            parts.append(.init(round, style, rank: 0, keep: true))
        }
        if let questionnaire = state.questionnaire, questionnaire.room == room?.id, !questionnaire.isComplete {
            let instrument = questionnaire.instrument
            let item = "\(questionnaire.answers.count + 1) of \(instrument.items.count)"
            let text = " │ \(instrument.name) \(item): type \(instrument.minimum)–\(instrument.maximum)"
            parts.append(.init(text, Style(color: .green, bold: true, reverse: true), rank: 1, keep: true))
        }
        if let room, let floor = floorText(room, me: state.me?.id, now: now) {
            parts.append(.init(floor, Style(color: .cyan, bold: true, reverse: true), rank: 2))
        }
        if room?.mustAccept == true {
            parts.append(
                .init(
                    " │ /accept the agreements", Style(color: .yellow, bold: true, reverse: true), rank: 3,
                    short: " │ /accept"))
        }
        let unsent = state.pending.count
        if unsent > 0 { parts.append(.init(" │ \(unsent) unsent", warning, rank: 3)) }
        if scrolled { parts.append(.init(" │ ↑ scrolled", bar, rank: 4, short: " │ ↑")) }
        let others = state.roomOrder.compactMap { id -> String? in
            guard id != state.current, let room = state.rooms[id], room.unread > 0 else { return nil }
            return "\(room.name) \(room.unread)"
        }
        if !others.isEmpty {
            let total = others.count
            parts.append(
                .init(
                    " │ unread: " + others.joined(separator: ", "), Style(bold: true, reverse: true), rank: 7,
                    short: " │ unread in \(total)"))
        }
        if let room {
            let you = state.me.map { room.members[$0.id]?.name ?? $0.name } ?? ""
            parts.append(.init(" │ \(you) (\(room.role.rawValue))", bar, rank: 8))
        }
        return parts
    }

    /// The round: whose turn, the time left, how many are still to come.
    func roundText(_ room: RoomView, me: AccountID?, now: Timestamp) -> String? {
        guard let round = room.round else { return nil }
        var text = " │ \(round.kind.rawValue) \(round.number): "
        if let current = round.current {
            text += current == me ? "your turn" : "\(room.name(of: current))'s turn"
            if let endsAt = round.turnEndsAt {
                let seconds = max(0, (endsAt.milliseconds - now.milliseconds + 999) / 1000)
                text += " \(seconds / 60):" + twoDigits(seconds % 60) + " left"
            }
        } else {
            text += "between turns"
        }
        if !round.queue.isEmpty { text += ", \(round.queue.count) to come" }
        return text
    }

    /// The floor as it concerns you: your turn, your raised hand, who holds the piece, the queue.
    func floorText(_ room: RoomView, me: AccountID?, now: Timestamp) -> String? {
        let floor = room.floor
        let holder = floor.currentHolder(at: now)
        switch floor.mode {
        case .open:
            return nil
        case .slow:
            return " │ slow mode \(floor.slowSeconds) s"
        case .hands:
            if let holder, holder == me {
                return " │ your turn" + (floor.holderUntil.map { " until " + clockText($0) } ?? "")
            }
            if let me, floor.hands.contains(me) { return " │ hand raised" }
            if room.role.isFacilitating {
                let queue = floor.hands.map { room.name(of: $0) }
                return " │ hands: " + (queue.isEmpty ? "none" : queue.joined(separator: ", "))
            }
            return holder.map { " │ floor: \(room.name(of: $0))" } ?? " │ raise your hand to speak"
        case .piece:
            if let holder, holder == me { return " │ you hold the piece" }
            return holder.map { " │ piece: \(room.name(of: $0))" } ?? " │ piece: nobody"
        }
    }

    func elapsed(from start: Timestamp, to now: Timestamp) -> String {
        let minutes = max(0, (now.milliseconds - start.milliseconds) / 60000)
        return "\(minutes / 60):" + twoDigits(minutes % 60)
    }

    private func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
