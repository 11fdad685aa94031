/// A check-in or check-out round: one member holds the turn at a time.
public struct Round: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case checkIn = "check-in"
        case checkOut = "check-out"
    }

    public enum Order: String, Hashable, Sendable, Codable, CaseIterable {
        /// The order members joined the room.
        case joined
        /// Shuffled by the server when the round starts.
        case random
        /// As the facilitator listed them.
        case listed
    }

    /// How a turn ended.
    public enum Outcome: String, Hashable, Sendable, Codable, CaseIterable {
        case checkedIn = "checked-in"
        case passed
        /// The time ran out.
        case timedOut = "timed-out"
        /// The facilitator skipped them; they come back at the end.
        case skipped
        /// They were not connected; they come back at the end, once.
        case away
        /// Not there when their turn came round again.
        case absent
        /// The round was closed before their turn.
        case notReached = "not-reached"

        /// Whether the member is done with this round (not moved to the end of the queue).
        public var isFinal: Bool { self != .skipped && self != .away }
    }

    /// One member's line in the end-of-round summary.
    public struct SummaryLine: Hashable, Sendable, Codable {
        public var member: AccountID
        public var outcome: Outcome
        /// Mean goal progress now minus at their last check-in of an earlier session.
        public var change: Double?

        public init(member: AccountID, outcome: Outcome, change: Double?) {
            self.member = member
            self.outcome = outcome
            self.change = change
        }
    }

    public var number: Int
    public var kind: Kind
    public var prompt: String
    public var instrument: String?
    public var turnSeconds: Int?
    /// Who holds the turn, since when and until when.
    public var current: AccountID?
    public var turnStartedAt: Timestamp?
    public var turnEndsAt: Timestamp?
    public var warned = false
    /// Who is still to come, in order (the current member excluded).
    public var queue: [AccountID]
    /// Final outcomes, in the order turns ended.
    public var outcomes: [(AccountID, Outcome)] = []
    /// Members already moved to the end once for being away.
    public var awayOnce: Set<AccountID> = []

    public init(number: Int, kind: Kind, prompt: String, instrument: String?, turnSeconds: Int?, queue: [AccountID]) {
        self.number = number
        self.kind = kind
        self.prompt = prompt
        self.instrument = instrument
        self.turnSeconds = turnSeconds
        self.queue = queue
    }

    private enum CodingKeys: String, CodingKey {
        case number, kind, prompt, instrument, turnSeconds, current, turnStartedAt, turnEndsAt, warned, queue
        case outcomeMembers, outcomeKinds, awayOnce
    }

    /// Written out for room snapshots; the outcomes, pairs in Swift, as two lists.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        number = try values.decode(Int.self, forKey: .number)
        kind = try values.decode(Kind.self, forKey: .kind)
        prompt = try values.decode(String.self, forKey: .prompt)
        instrument = try values.decodeIfPresent(String.self, forKey: .instrument)
        turnSeconds = try values.decodeIfPresent(Int.self, forKey: .turnSeconds)
        current = try values.decodeIfPresent(AccountID.self, forKey: .current)
        turnStartedAt = try values.decodeIfPresent(Timestamp.self, forKey: .turnStartedAt)
        turnEndsAt = try values.decodeIfPresent(Timestamp.self, forKey: .turnEndsAt)
        warned = try values.decode(Bool.self, forKey: .warned)
        queue = try values.decode([AccountID].self, forKey: .queue)
        let members = try values.decode([AccountID].self, forKey: .outcomeMembers)
        let kinds = try values.decode([Outcome].self, forKey: .outcomeKinds)
        guard members.count == kinds.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .outcomeKinds, in: values, debugDescription: "outcomes and their members differ in number")
        }
        outcomes = Array(zip(members, kinds))
        awayOnce = try values.decode(Set<AccountID>.self, forKey: .awayOnce)
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(number, forKey: .number)
        try values.encode(kind, forKey: .kind)
        try values.encode(prompt, forKey: .prompt)
        try values.encodeIfPresent(instrument, forKey: .instrument)
        try values.encodeIfPresent(turnSeconds, forKey: .turnSeconds)
        try values.encodeIfPresent(current, forKey: .current)
        try values.encodeIfPresent(turnStartedAt, forKey: .turnStartedAt)
        try values.encodeIfPresent(turnEndsAt, forKey: .turnEndsAt)
        try values.encode(warned, forKey: .warned)
        try values.encode(queue, forKey: .queue)
        try values.encode(outcomes.map(\.0), forKey: .outcomeMembers)
        try values.encode(outcomes.map(\.1), forKey: .outcomeKinds)
        try values.encode(awayOnce, forKey: .awayOnce)
    }

    public static func == (lhs: Round, rhs: Round) -> Bool {
        lhs.number == rhs.number && lhs.kind == rhs.kind && lhs.prompt == rhs.prompt
            && lhs.instrument == rhs.instrument && lhs.turnSeconds == rhs.turnSeconds && lhs.current == rhs.current
            && lhs.turnStartedAt == rhs.turnStartedAt && lhs.turnEndsAt == rhs.turnEndsAt && lhs.warned == rhs.warned
            && lhs.queue == rhs.queue && lhs.outcomes.map(\.0) == rhs.outcomes.map(\.0)
            && lhs.outcomes.map(\.1) == rhs.outcomes.map(\.1) && lhs.awayOnce == rhs.awayOnce
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(number)
        hasher.combine(current)
        hasher.combine(queue)
    }

    /// When the 80% warning is due, if the turn is timed and not yet warned.
    public var warningAt: Timestamp? {
        guard !warned, let start = turnStartedAt, let end = turnEndsAt else { return nil }
        return Timestamp(milliseconds: end.milliseconds - (end.milliseconds - start.milliseconds) / 5)
    }

    /// The next moment the round's clock must be looked at.
    public var nextDeadline: Timestamp? {
        warningAt ?? turnEndsAt
    }
}

extension Round {
    /// The round's part of the room's fold (`round` is nil while none is open): the one place a
    /// round event changes the round, used by the server's `RoomState` and a client's view alike.
    public static func apply(_ event: Event, to round: inout Round?) {
        switch event.body {
        case .roundStarted(let number, let kind, let prompt, let queue, let turnSeconds, let instrument):
            round = Round(
                number: number, kind: kind, prompt: prompt, instrument: instrument, turnSeconds: turnSeconds,
                queue: queue)
        case .turnBegan(let member, let endsAt):
            if let index = round?.queue.firstIndex(of: member) { round?.queue.remove(at: index) }
            round?.current = member
            round?.turnStartedAt = event.at
            round?.turnEndsAt = endsAt
            round?.warned = false
        case .turnWarned:
            round?.warned = true
        case .turnExtended(_, let endsAt):
            round?.turnEndsAt = endsAt
            // Warn again only if the new 80% mark is still ahead.
            if let warning = round.flatMap({ $0.turnStartedAt }).map({ start in
                Timestamp(milliseconds: endsAt.milliseconds - (endsAt.milliseconds - start.milliseconds) / 5)
            }), warning > event.at {
                round?.warned = false
            }
        case .turnEnded(let member, let outcome):
            round?.current = nil
            round?.turnStartedAt = nil
            round?.turnEndsAt = nil
            if outcome.isFinal {
                round?.outcomes.append((member, outcome))
            } else {
                round?.queue.append(member)
                if outcome == .away { round?.awayOnce.insert(member) }
            }
        case .roundEnded:
            round = nil
        default:
            break
        }
    }
}

/// Who has not had their turn yet in the running round: whose turn it is now, then the rest in
/// the order they will go.
public struct StillToGo: Codable, Hashable, Sendable {
    public var round: Int
    public var current: AccountID?
    public var waiting: [AccountID]

    public init(round: Int, current: AccountID?, waiting: [AccountID]) {
        self.round = round
        self.current = current
        self.waiting = waiting
    }
}
