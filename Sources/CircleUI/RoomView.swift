import CircleCore
import CircleProtocol

/// What the client knows of one room.
public struct RoomView: Hashable, Sendable {
    /// Older entries are dropped past this; `/history` and scrolling fetch them again.
    public static let maxEntries = 5000

    public var id: RoomID
    /// What the room is, folded by the core's own `RoomFacts.apply`, as the server folds it.
    public var facts = RoomFacts()
    public var role: RoomRole
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
    /// The version you last accepted (0: none).
    public var acceptedVersion = 0
    /// Goals' wording as last seen, to name them in check-ins.
    public var goalNames: [GoalID: String] = [:]

    // The facts under the names the screen reads them by.
    public var name: String {
        get { facts.name }
        set { facts.name = newValue }
    }
    public var session: Int? {
        get { facts.openSession }
        set { facts.openSession = newValue }
    }
    public var sessionStartedAt: Timestamp? { facts.sessionStartedAt }
    public var members: [AccountID: Member] {
        get { facts.members }
        set { facts.members = newValue }
    }
    public var agreementsVersion: Int {
        get { facts.agreementsVersion }
        set { facts.agreementsVersion = newValue }
    }
    public var agreements: String { facts.agreementsText }
    /// Who is muted, until when and why.
    public var muted: [AccountID: Sanction] {
        get { facts.muted }
        set { facts.muted = newValue }
    }
    public var topic: String { facts.topic }
    public var locked: Bool { facts.locked }
    public var directMessages: Bool { facts.directMessagesAllowed }
    public var floor: Floor { facts.floor }
    /// For a side room, the room it was opened from.
    public var parent: RoomID? {
        get { facts.parent }
        set { facts.parent = newValue }
    }
    public var round: Round? { facts.round }
    public var sharedGoals: [SharedGoal] { facts.sharedGoals }

    /// Whether you must accept the agreements before speaking here: the server's own rule.
    public var mustAccept: Bool {
        Agreements.mustAccept(
            role: role, accepted: acceptedVersion, current: agreementsVersion, sideRoom: parent != nil)
    }

    public init(id: RoomID, name: String, role: RoomRole, session: Int? = nil) {
        self.id = id
        self.role = role
        facts.name = name
        facts.openSession = session
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
        role = joined.role
        online = Set(joined.online)
        acceptedVersion = joined.acceptedVersion
        // The room as the server's facts stood at the join; events fold on from there. What
        // the reply does not carry (mutes) is kept from the events already folded.
        facts.name = joined.name
        facts.openSession = joined.session
        facts.sessionStartedAt = joined.sessionStartedAt
        facts.members = Dictionary(joined.members.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        facts.memberOrder = joined.members.map(\.id)
        facts.agreementsVersion = joined.agreementsVersion
        facts.agreementsText = joined.agreements
        facts.topic = joined.topic
        facts.locked = joined.locked
        facts.directMessagesAllowed = joined.directMessages
        facts.floor = Floor(joined.floor)
        facts.round = joined.round.map(Round.init)
        facts.sharedGoals = joined.sharedGoals
        for goal in sharedGoals { goalNames[goal.id] = goal.text }
        self.joined = true
    }

    /// Adds an event once: a duplicate delivery (which the server should never make) is ignored.
    /// Returns whether it was new.
    @discardableResult
    public mutating func apply(_ event: Event) -> Bool {
        guard event.seq > lastSeq else { return false }
        lastSeq = event.seq
        facts.apply(event)
        // What the screen keeps beside the facts: how removed messages and goals read.
        switch event.body {
        case .messageRemoved(let message, _, _):
            // What was shown goes; facilitators may still read it with /original.
            if let index = timeline.lastIndex(where: { $0.seq == message }), case .event(var removed) = timeline[index]
            {
                removed.body = .withheld(kind: removed.body.kind)
                timeline[index] = .event(removed)
            }
        case .goalSet(let goal):
            goalNames[goal.id] = goal.text
        case .goalRevised(let id, let text, _, _, _, _):
            goalNames[id] = text
        case .sharedGoalAdded(let id, let text), .sharedGoalProposed(let id, let text):
            goalNames[id] = text
        default:
            break
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
            if muted[member.id]?.holds(at: now) == true { line += ", muted" }
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
}
