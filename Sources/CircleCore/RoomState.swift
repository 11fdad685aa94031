/// Everything the rules need to know about a room: exactly what its event log adds up to.
public struct RoomState: Hashable, Sendable, Codable {
    public let id: RoomID
    /// What every reader of the room folds alike (`RoomFacts.apply`); the rest is the server's.
    public internal(set) var facts = RoomFacts()
    public internal(set) var owner: AccountID?
    public internal(set) var invites: [InviteID: Invite] = [:]
    /// The sequence number of the last event in the log (0 for an empty log).
    public internal(set) var lastSeq: Int64 = 0
    /// How many sessions have ever been opened.
    public internal(set) var sessionCount = 0
    /// Where the latest session began in the log, so joiners get its history (1 if none yet).
    public internal(set) var sessionStartSeq: Int64 = 1
    /// The latest version each member accepted.
    public internal(set) var acceptedAgreements: [AccountID: Int] = [:]
    /// Who is banned, until when and why: they may not join, read or speak.
    public internal(set) var banned: [AccountID: Sanction] = [:]
    /// Messages a facilitator removed, by sequence number.
    public internal(set) var removedMessages: Set<Int64> = []
    /// When each member last spoke to the room, for slow mode.
    public internal(set) var lastSpoke: [AccountID: Timestamp] = [:]
    /// Personal goals by id.
    public internal(set) var goals: [GoalID: Goal] = [:]
    /// How many goal ids have been given out (personal and shared share one counter).
    public internal(set) var goalCount = 0
    /// The most active goals a member keeps.
    public internal(set) var maxActiveGoals = 3
    public internal(set) var crossTalk = CrossTalk.refused
    /// How many rounds there have been.
    public internal(set) var roundCount = 0
    /// Each member's check-ins and attendance, for progress and the overview.
    public internal(set) var records: [AccountID: MemberRecord] = [:]
    var clientIDs: [AccountID: RecentClientIDs] = [:]

    public init(id: RoomID) {
        self.id = id
    }

    /// The shape and meaning of a snapshot of this state (`Codable`): a stored snapshot of
    /// another version is ignored and the log replayed instead. Raise it with any change to
    /// what the fold keeps or how it reads an event.
    public static let snapshotVersion = 2

    public var name: String { facts.name }
    public var members: [AccountID: Member] { facts.members }
    /// Members in the order they joined; rounds default to this order.
    public var memberOrder: [AccountID] { facts.memberOrder }
    /// The number of the session now open, if any.
    public var openSession: Int? { facts.openSession }
    /// When the open session began, for the elapsed time people see.
    public var sessionStartedAt: Timestamp? { facts.sessionStartedAt }
    public var agreementsVersion: Int { facts.agreementsVersion }
    public var agreementsText: String { facts.agreementsText }
    /// Who is muted, until when and why.
    public var muted: [AccountID: Sanction] { facts.muted }
    /// Whether new members are kept out.
    public var locked: Bool { facts.locked }
    public var topic: String { facts.topic }
    public var floor: Floor { facts.floor }
    public var directMessagesAllowed: Bool { facts.directMessagesAllowed }
    /// For a side room: the room it was opened from.
    public var parent: RoomID? { facts.parent }
    public var round: Round? { facts.round }
    public var sharedGoals: [SharedGoal] { facts.sharedGoals }

    /// Whether `clientID` could be a repeat of a message of `member`'s that the room has let
    /// go of: only the log can tell then.
    public func mayHaveForgotten(_ clientID: String, of member: AccountID) -> Bool {
        guard let known = clientIDs[member] else { return false }
        return known.hasForgotten && known.seq(for: clientID) == nil
    }

    /// Whether the room exists yet (its creation event has been applied).
    public var exists: Bool { owner != nil }

    public func role(of account: AccountID) -> RoomRole? {
        members[account]?.role
    }

    /// Whether a member is muted at `now`.
    public func isMuted(_ account: AccountID, at now: Timestamp) -> Bool {
        muted[account]?.holds(at: now) ?? false
    }

    /// A member's goals that are active now, in the order they were set.
    public func activeGoals(of member: AccountID) -> [Goal] {
        goals.values.filter { $0.member == member && $0.status == .active }.sorted {
            (Int($0.id.rawValue.dropFirst()) ?? 0) < (Int($1.id.rawValue.dropFirst()) ?? 0)
        }
    }

    /// The ban that keeps a member out at `now`, if any: the one answer to "is this member
    /// banned now?" for every rule that asks (decisions, reads, rounds). A timed ban that has
    /// run out holds nothing, and stays in `banned` only until the room's clock ticks and
    /// appends its end.
    public func activeBan(of account: AccountID, at now: Timestamp) -> Sanction? {
        guard let ban = banned[account], ban.holds(at: now) else { return nil }
        return ban
    }

    /// Whether a member is banned at `now`.
    public func isBanned(_ account: AccountID, at now: Timestamp) -> Bool {
        activeBan(of: account, at: now) != nil
    }

    /// The participants a round goes round, in the order they joined: those not banned now.
    public func roundParticipants(at now: Timestamp) -> [AccountID] {
        memberOrder.filter { members[$0]?.role == .participant && !isBanned($0, at: now) }
    }

    /// Whether a member still has to accept the current agreements before speaking.
    /// Facilitators write them, so they are never held back.
    public func mustAcceptAgreements(_ account: AccountID) -> Bool {
        Agreements.mustAccept(
            role: role(of: account), accepted: acceptedAgreements[account] ?? 0, current: agreementsVersion,
            sideRoom: parent != nil)
    }
}
