import CircleCore
import CircleProtocol

/// What the client knows of one room.
public struct RoomView: Hashable, Sendable {
    /// Older entries are dropped past this; `/history` and scrolling fetch them again.
    public static let maxEntries = 5000

    public var id: RoomID
    public var name: String
    public var role: RoomRole
    public var session: Int?
    public var sessionStartedAt: Timestamp?
    public var members: [AccountID: Member] = [:]
    public var online: Set<AccountID> = []
    public var timeline: [TimelineEntry] = []
    /// The last sequence number received: where a resume starts.
    public var lastSeq: Int64 = 0
    /// How far you had read when you were last here (before a drop, or when the chat last
    /// closed): the screen marks where what came after begins.
    public var seenThrough: Int64?
    /// The `through` of the latest join: events up to it are history.
    public var liveAfter: Int64 = 0
    /// Whether the server is sending this room's events to us now.
    public var joined = false
    public var unread = 0
    public var agreementsVersion = 0
    public var agreements = ""
    /// The version you last accepted (0: none).
    public var acceptedVersion = 0
    /// Who is muted and until when (nil: until lifted).
    public var muted: [AccountID: Timestamp?] = [:]
    public var topic = ""
    public var locked = false
    public var directMessages = false
    /// The floor and the round, folded by the core's own `Floor.apply` and `Round.apply`.
    public var floor = Floor()
    /// For a side room, the room it was opened from.
    public var parent: RoomID?
    public var round: Round?
    public var sharedGoals: [SharedGoal] = []
    /// Goals' wording as last seen, to name them in check-ins.
    public var goalNames: [GoalID: String] = [:]

    /// Whether you must accept the agreements before speaking here: the server's own rule.
    public var mustAccept: Bool {
        Agreements.mustAccept(
            role: role, accepted: acceptedVersion, current: agreementsVersion, sideRoom: parent != nil)
    }

    public init(id: RoomID, name: String, role: RoomRole, session: Int? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.session = session
    }

    /// Whether `event` is happening now rather than history sent with a join or resume (which
    /// arrives before the join's reply is applied, or at or below its `through`): what the
    /// screen does once, at the moment (the bell, "It is your turn", leaving a room on a kick),
    /// it must not do again for the past.
    public func isLive(_ event: Event) -> Bool {
        joined && event.seq > liveAfter
    }

    public mutating func apply(_ joined: Reply.Joined) {
        liveAfter = joined.through
        name = joined.name
        role = joined.role
        session = joined.session
        sessionStartedAt = joined.sessionStartedAt
        members = Dictionary(joined.members.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        online = Set(joined.online)
        agreementsVersion = joined.agreementsVersion
        agreements = joined.agreements
        acceptedVersion = joined.acceptedVersion
        topic = joined.topic
        locked = joined.locked
        directMessages = joined.directMessages
        floor = Floor(joined.floor)
        round = joined.round.map(Round.init)
        sharedGoals = joined.sharedGoals
        for goal in sharedGoals { goalNames[goal.id] = goal.text }
        self.joined = true
    }

    /// Adds an event once: a duplicate delivery (which the server should never make) is ignored.
    /// Returns whether it was new.
    @discardableResult
    public mutating func apply(_ event: Event) -> Bool {
        guard event.seq > lastSeq else { return false }
        lastSeq = event.seq
        switch event.body {
        case .memberJoined(let member, let name, let role, _):
            members[member] = Member(id: member, name: name, role: role, joinedAt: event.at)
        case .sessionOpened(let number):
            session = number
            sessionStartedAt = event.at
        case .sessionClosed:
            session = nil
            sessionStartedAt = nil
        case .roomCreated(let name, _):
            self.name = name
        case .agreementsSet(let version, let text):
            agreementsVersion = version
            agreements = text
        case .memberMuted(let member, let until, _):
            muted[member] = .some(until)
        case .memberUnmuted(let member):
            muted[member] = nil
        case .memberRoleChanged(let member, let role):
            members[member]?.role = role
            floor.apply(event)
        case .memberKicked, .memberBanned:
            floor.apply(event)
        case .messageRemoved(let message, _, _):
            // What was shown goes; facilitators may still read it with /original.
            if let index = timeline.lastIndex(where: { $0.seq == message }), case .event(var removed) = timeline[index]
            {
                removed.body = .withheld(kind: removed.body.kind)
                timeline[index] = .event(removed)
            }
        case .roomLocked(let locked):
            self.locked = locked
        case .topicSet(let text):
            topic = text
        case .floorModeSet, .handRaised, .handLowered, .floorGiven:
            floor.apply(event)
        case .directMessagesSet(let allowed):
            directMessages = allowed
        case .sideRoomCreated(let parent, let member, let name):
            self.parent = parent
            members[member] = Member(id: member, name: name, role: .participant, joinedAt: event.at)
        case .inviteCreated, .message, .agreementsAccepted, .helpRequested, .riskAlert, .crisisCard, .memberUnbanned,
            .sideRoomOpened, .withheld:
            break
        default:
            applyTracking(event)
        }
        append(.event(event))
        return true
    }

    /// Takes in what an event says about the room (members, goals, the round) without
    /// keeping it for display: for scripts.
    public mutating func learn(_ event: Event) {
        apply(event)
        timeline.removeAll()
    }

    public mutating func append(_ entry: TimelineEntry) {
        timeline.append(entry)
        if timeline.count > Self.maxEntries { timeline.removeFirst(timeline.count - Self.maxEntries) }
    }

    /// Puts earlier events (from `history`) before what is shown, and a notice in the place
    /// of each span retention purged.
    public mutating func prepend(_ items: [Reply.History.Item], at now: Timestamp) {
        let firstShown = firstSeq ?? Int64.max
        let older = items.compactMap { item -> TimelineEntry? in
            switch item {
            case .event(let event): event.seq < firstShown ? .event(event) : nil
            case .purged(let span): span.first < firstShown ? .notice(span.sentence, isError: false, at: now) : nil
            }
        }
        timeline.insert(contentsOf: older, at: 0)
    }

    /// The oldest event shown, for paging further back.
    public var firstSeq: Int64? {
        for entry in timeline { if case .event(let event) = entry { return event.seq } }
        return nil
    }

    /// Members in the order they joined: `/who` numbers them from 1, and a number stays the
    /// member's while the room lasts, since newcomers are numbered after everyone before them.
    public var roster: [Member] {
        members.values.sorted { ($0.joinedAt, $0.id.rawValue) < ($1.joinedAt, $1.id.rawValue) }
    }

    /// The member with this display name (ignoring case, and the role mark a screen shows),
    /// or with this number in `/who` (`3` or `#3`) when no one is called that.
    public func member(named text: String) -> AccountID? {
        for name in [text, String(text.trimmingPrefix(RoomRole.facilitatorMark))] {
            if let found = members.values.first(where: { $0.name.lowercased() == name.lowercased() }) {
                return found.id
            }
        }
        guard let number = Int(text.trimmingPrefix("#")), number >= 1 else { return nil }
        let roster = roster
        return number <= roster.count ? roster[number - 1].id : nil
    }

    /// What to say when `member(named:)` finds no one.
    public static func noOneCalled(_ name: String) -> String {
        "There is no one called \(name) here; /who lists the members, and /mute 3 … takes a number from it."
    }

    /// `/who`: a line per member, numbered as `member(named:)` takes them, with the role (and
    /// its mark), whether they are here now, and a mute or ban that holds.
    public func whoLines(now: Timestamp) -> [String] {
        roster.enumerated().map { index, member in
            var line = "\(index + 1). \(member.role.mark)\(member.name) (\(member.role.rawValue))"
            line += online.contains(member.id) ? ", here" : ", away"
            if let until = muted[member.id], until.map({ $0 > now }) ?? true { line += ", muted" }
            return line
        }
    }

    /// `/round who`: whose turn it is, and who is still to come, by name.
    public func stillToGoLine(_ still: StillToGo) -> String {
        var names = still.waiting.map { name(of: $0) }
        if let current = still.current { names.insert(name(of: current) + " (now)", at: 0) }
        guard !names.isEmpty else { return "Everyone has had their turn in round \(still.round)." }
        return "Still to go in round \(still.round): " + names.joined(separator: ", ") + "."
    }

    public func name(of account: AccountID?) -> String {
        guard let account else { return "server" }
        return members[account]?.name ?? account.rawValue
    }

    /// Goals and rounds, as far as the screen needs them.
    mutating func applyTracking(_ event: Event) {
        switch event.body {
        case .goalSet(let goal):
            goalNames[goal.id] = goal.text
        case .goalRevised(let id, let text, _, _, _, _):
            goalNames[id] = text
        case .sharedGoalAdded(let id, let text), .sharedGoalProposed(let id, let text):
            goalNames[id] = text
            SharedGoal.apply(event, to: &sharedGoals)
        case .sharedGoalDecided:
            SharedGoal.apply(event, to: &sharedGoals)
        case .roundStarted, .turnBegan, .turnWarned, .turnExtended, .turnEnded, .roundEnded:
            Round.apply(event, to: &round)
        default:
            break
        }
    }
}
