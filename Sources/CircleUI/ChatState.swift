import CircleCore
import CircleProtocol

/// Everything the chat screen shows. The app feeds it server frames and keys; it answers with
/// actions; the renderer draws it. Nothing here touches a terminal or a socket.
public struct ChatState: Hashable, Sendable {
    public var me: Reply.Account?
    public var connection: ConnectionStatus = .connecting
    public var rooms: [RoomID: RoomView] = [:]
    /// Rooms in the order the server listed them, for Ctrl-N / Ctrl-P.
    public var roomOrder: [RoomID] = []
    public var current: RoomID?
    public var input = InputLine()
    /// Lines scrolled up from the newest; 0 follows new messages.
    public var scroll = 0
    /// Whether the last frame drawn showed the oldest loaded line.
    public var atTop = false
    public var pending: [PendingMessage] = []
    /// A one-line hint above the input (completion candidates); cleared by the next key.
    public var hint: String?
    /// Offline notices before any room is open.
    public var lobby: [TimelineEntry] = []
    /// How far each room was read when the chat last closed, from an earlier run.
    public var seenBefore: [RoomID: Int64] = [:]
    /// Ctrl-O: hides the member list beside a wide screen's messages, or shows it in their
    /// place on a narrow one.
    public var membersToggled = false
    /// The questionnaire of your turn in a round, while you answer it item by item.
    public var questionnaire: Questionnaire?
    /// Ctrl-C was pressed over a draft: the next Ctrl-C quits.
    public var quitAsked = false
    /// Command words for completion.
    public var verbs: [String] = []

    public init() {}

    public var currentRoom: RoomView? {
        current.flatMap { rooms[$0] }
    }

    // MARK: From the server

    public mutating func apply(_ event: Event) {
        guard var room = rooms[event.room] else { return }
        // The first event of a room this run: where an earlier run stopped reading, if it did.
        if room.lastSeq == 0, room.seenThrough == nil { room.seenThrough = seenBefore[event.room] }
        guard room.apply(event) else { return }
        if case .message(_, let clientID?) = event.body, event.actor == me?.id {
            pending.removeAll { $0.clientID == clientID && $0.room == event.room }
        }
        if event.room != current, case .message = event.body { room.unread += 1 }
        if case .agreementsAccepted(let version) = event.body, event.actor == me?.id { room.acceptedVersion = version }
        // Your turn is over (checked in, passed, skipped): its questionnaire goes with it.
        if let questionnaire, questionnaire.room == event.room {
            switch event.body {
            case .turnEnded(let member, _) where member == me?.id: self.questionnaire = nil
            case .roundEnded: self.questionnaire = nil
            default: break
            }
        }
        // Your own role, as the bar and the rules that depend on it see it, changes with the event.
        if case .memberRoleChanged(let member, let role) = event.body, member == me?.id { room.role = role }
        if case .agreementsSet = event.body, room.mustAccept { room.append(Self.agreementsNotice(room, at: event.at)) }
        rooms[event.room] = room
    }

    public mutating func apply(_ joined: Reply.Joined) {
        var room = rooms[joined.room] ?? RoomView(id: joined.room, name: joined.name, role: joined.role)
        let shown = room.joined || room.timeline.contains { if case .notice = $0 { return true } else { return false } }
        room.apply(joined)
        if room.mustAccept && !shown { room.append(Self.agreementsNotice(room, at: lobbyClock)) }
        rooms[joined.room] = room
        if !roomOrder.contains(joined.room) { roomOrder.append(joined.room) }
    }

    public mutating func apply(_ presence: Presence) {
        guard var room = rooms[presence.room] else { return }
        if presence.online { room.online.insert(presence.member) } else { room.online.remove(presence.member) }
        rooms[presence.room] = room
    }

    public mutating func apply(_ list: Reply.Rooms) {
        for summary in list.rooms {
            var room = rooms[summary.id] ?? RoomView(id: summary.id, name: summary.name, role: summary.role)
            room.name = summary.name
            room.role = summary.role
            rooms[summary.id] = room
            if !roomOrder.contains(summary.id) { roomOrder.append(summary.id) }
        }
    }

    /// The agreements in full, with how to accept them.
    static func agreementsNotice(_ room: RoomView, at time: Timestamp) -> TimelineEntry {
        .notice(
            room.agreements
                + "\n— Please read the agreements (version \(room.agreementsVersion)); type /accept to agree.",
            isError: false, at: time)
    }

    /// The time notices made while applying a reply carry (the newest event's, else zero).
    var lobbyClock: Timestamp {
        let times = rooms.values.compactMap { room -> Timestamp? in
            guard case .event(let event)? = room.timeline.last else { return nil }
            return event.at
        }
        return times.max() ?? Timestamp(milliseconds: 0)
    }

    /// Starts the questionnaire of your turn: its question, scale and first item.
    public mutating func start(_ questionnaire: Questionnaire, at time: Timestamp) {
        self.questionnaire = questionnaire
        for line in questionnaire.introduction + [questionnaire.currentItem].compactMap({ $0 }) {
            rooms[questionnaire.room]?.append(.notice(line, isError: false, at: time))
        }
    }

    /// A number typed while a questionnaire waits in this room is its next answer, not a
    /// message; returns false when the line is not one.
    mutating func answerQuestionnaire(_ line: String, at time: Timestamp) -> Bool {
        guard var questionnaire, questionnaire.room == current, !questionnaire.isComplete,
            Questionnaire.looksLikeAnAnswer(line)
        else { return false }
        switch questionnaire.answer(line) {
        case .failure(let error):
            notice(error.message, isError: true, at: time)
        case .success:
            self.questionnaire = questionnaire
            if let item = questionnaire.currentItem {
                notice(item, at: time)
            } else {
                notice(
                    "Thank you. Your \(questionnaire.instrument.name) answers go with your check-in: "
                        + "/checkin g1=… as usual, or /pass.", at: time)
            }
        }
        return true
    }

    /// A facilitator asked you into a side room: it is offered, never forced on the screen. The
    /// room becomes known by a name `/join side` finds, and where you are reading says so.
    public mutating func offerSideRoom(_ side: RoomID, from event: Event) {
        guard rooms[side] == nil else { return }
        let facilitator = rooms[event.room]?.name(of: event.actor) ?? "A facilitator"
        rooms[side] = RoomView(id: side, name: "side room with \(facilitator)", role: .participant)
        rooms[event.room]?.append(
            .notice(
                "\(facilitator) asks to talk with you in a side room, just the two of you. "
                    + "Type /join side when you are ready; the group goes on here.", isError: false, at: event.at))
    }

    /// Marks every room as needing a resume: the connection dropped.
    public mutating func disconnected() {
        for id in rooms.keys {
            rooms[id]?.joined = false
            let seen = rooms[id]?.lastSeq
            rooms[id]?.seenThrough = seen
        }
    }

    /// Shows a notice in the current room (or the lobby).
    public mutating func notice(_ text: String, isError: Bool = false, at now: Timestamp) {
        let entry = TimelineEntry.notice(text, isError: isError, at: now)
        if let current, rooms[current] != nil {
            rooms[current]?.append(entry)
        } else {
            lobby.append(entry)
        }
        scroll = 0
    }

    public mutating func switchTo(_ room: RoomID) {
        current = room
        rooms[room]?.unread = 0
        scroll = 0
    }

    /// Finds one of your rooms by id, or by a name or the unique start of one.
    public func findRoom(_ text: String) -> RoomID? {
        if rooms[RoomID(text)] != nil { return RoomID(text) }
        let folded = text.lowercased()
        let named = rooms.values.filter { $0.name.lowercased() == folded }
        if named.count == 1 { return named[0].id }
        let prefixed = rooms.values.filter { $0.name.lowercased().hasPrefix(folded) }
        return prefixed.count == 1 ? prefixed[0].id : nil
    }
}
