/// Everything the rules need to know about a room: exactly what its event log adds up to.
public struct RoomState: Hashable, Sendable, Codable {
    public let id: RoomID
    public internal(set) var name: String = ""
    public internal(set) var owner: AccountID?
    public internal(set) var members: [AccountID: Member] = [:]
    /// Members in the order they joined; rounds default to this order.
    public internal(set) var memberOrder: [AccountID] = []
    public internal(set) var invites: [InviteID: Invite] = [:]
    /// The sequence number of the last event in the log (0 for an empty log).
    public internal(set) var lastSeq: Int64 = 0
    /// The number of the session now open, if any.
    public internal(set) var openSession: Int?
    /// How many sessions have ever been opened.
    public internal(set) var sessionCount = 0
    /// Where the latest session began in the log, so joiners get its history (1 if none yet).
    public internal(set) var sessionStartSeq: Int64 = 1
    /// When the open session began, for the elapsed time people see.
    public internal(set) var sessionStartedAt: Timestamp?
    /// The current agreements: version 1 is the default text, set when the room is created.
    public internal(set) var agreementsVersion = 0
    public internal(set) var agreementsText = ""
    /// The latest version each member accepted.
    public internal(set) var acceptedAgreements: [AccountID: Int] = [:]
    /// Who is muted, until when and why.
    public internal(set) var muted: [AccountID: Sanction] = [:]
    /// Who is banned, until when and why: they may not join, read or speak.
    public internal(set) var banned: [AccountID: Sanction] = [:]
    /// Messages a facilitator removed, by sequence number.
    public internal(set) var removedMessages: Set<Int64> = []
    /// Whether new members are kept out.
    public internal(set) var locked = false
    public internal(set) var topic = ""
    public internal(set) var floor = Floor()
    /// When each member last spoke to the room, for slow mode.
    public internal(set) var lastSpoke: [AccountID: Timestamp] = [:]
    /// Whether members may write privately to each other (they may always write to the facilitators).
    public internal(set) var directMessagesAllowed = false
    /// For a side room: the room it was opened from, and the one member it is for.
    public internal(set) var parent: RoomID?
    /// Personal goals by id, and the group's shared goals in the order they came.
    public internal(set) var goals: [GoalID: Goal] = [:]
    public internal(set) var sharedGoals: [SharedGoal] = []
    /// How many goal ids have been given out (personal and shared share one counter).
    public internal(set) var goalCount = 0
    /// The most active goals a member keeps.
    public internal(set) var maxActiveGoals = 3
    public internal(set) var crossTalk = CrossTalk.refused
    /// The round running now, and how many rounds there have been.
    public internal(set) var round: Round?
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
    public static let snapshotVersion = 1

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
    /// run out stays in `banned` until lifted, and holds nothing.
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
