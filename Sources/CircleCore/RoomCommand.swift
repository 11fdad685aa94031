/// A request to change a room, already parsed and carrying any identifiers the server minted.
public enum RoomCommand: Hashable, Sendable {
    case create(name: String, ownerName: String)
    case createInvite(invite: InviteID, uses: Int, expiresAt: Timestamp?, role: RoomRole = .participant)
    case redeem(invite: InviteID, name: String)
    case openSession
    case closeSession
    case say(text: String, clientID: String?)
    case setAgreements(text: String)
    case acceptAgreements(version: Int)
    case requestHelp(note: String?)
    /// Mutes for `seconds`, or until lifted when nil.
    case mute(member: AccountID, seconds: Int64?, reason: String)
    case unmute(member: AccountID)
    case setRole(member: AccountID, role: RoomRole)
    case kick(member: AccountID, reason: String)
    /// Bans for `seconds`, or until lifted when nil.
    case ban(member: AccountID, seconds: Int64?, reason: String)
    case unban(member: AccountID)
    /// Removes message `seq`; the adapter has read its author and audience from the log.
    case removeMessage(seq: Int64, author: AccountID, audience: Audience, reason: String)
    case lock
    case unlock
    case setTopic(text: String)
    case setFloor(mode: FloorMode, seconds: Int?)
    case raiseHand
    /// Lowers a member's hand: one's own, or anyone's for a facilitator.
    case lowerHand(member: AccountID)
    /// Gives the floor or the talking piece to a member, or (nil) back to no one.
    case giveFloor(member: AccountID?, seconds: Int64?)
    case allowDirectMessages(Bool)
    /// Writes privately to one member, or (nil) to the facilitators.
    case sayPrivately(to: AccountID?, text: String, clientID: String?)
    /// Records in the parent room that a side room was opened.
    case noteSideRoom(room: RoomID, member: AccountID)
    /// Sets a personal goal for `member` (themselves, or a facilitator on their behalf).
    case setGoal(member: AccountID, text: String, horizon: Goal.Horizon, target: String?, visibility: Goal.Visibility)
    /// Revises a goal; nil keeps a field as it is, and an empty target clears it.
    case reviseGoal(
        goal: GoalID, text: String?, horizon: Goal.Horizon?, target: String?, visibility: Goal.Visibility?,
        reason: String)
    case setGoalStatus(goal: GoalID, status: Goal.Status, reason: String?)
    /// A facilitator adds a shared goal; a participant proposes one.
    case addSharedGoal(text: String)
    case decideSharedGoal(goal: GoalID, accept: Bool, reason: String?)
    case configure(maxGoals: Int?, crossTalk: CrossTalk?)
    /// Starts a round. `listed` is the order for `.listed`, or the server's shuffle for `.random`.
    case startRound(
        kind: Round.Kind, prompt: String, order: Round.Order, listed: [AccountID]?, turnSeconds: Int?,
        instrument: String?)
    case passTurn
    case checkIn(CheckIn)
    case skipTurn
    case extendTurn(seconds: Int)
    case closeRound
    case setAttendance(member: AccountID, status: Attendance)
    /// The server's clock: warns or ends a timed turn that is due. Not a request.
    case tick
    /// A member came into the room during a session (present or late). Not a request.
    case arrive
    /// The member whose turn it is is not connected: they move to the end once, then are
    /// absent. Not a request.
    case away(member: AccountID)
    /// Creates this room as a side room of `parent` for the facilitator and one member.
    case createSide(parent: RoomID, name: String, ownerName: String, member: AccountID, memberName: String)

    /// The sender's idempotency key, for the commands that take one.
    public var clientID: String? {
        if case .say(_, let clientID) = self { return clientID }
        if case .sayPrivately(_, _, let clientID) = self { return clientID }
        return nil
    }

    /// The operation the command table checks for this command.
    public var operation: CommandName {
        switch self {
        case .create: return .roomCreate
        case .createInvite: return .inviteCreate
        case .redeem: return .redeem
        case .openSession: return .sessionOpen
        case .closeSession: return .sessionClose
        case .say: return .say
        case .setAgreements: return .agreementsSet
        case .acceptAgreements: return .agreementsAccept
        case .requestHelp: return .helpSignal
        case .mute: return .memberMute
        case .unmute: return .memberUnmute
        case .setRole: return .memberRole
        case .kick: return .memberKick
        case .ban: return .memberBan
        case .unban: return .memberUnban
        case .removeMessage: return .messageRemove
        case .lock: return .roomLock
        case .unlock: return .roomUnlock
        case .setTopic: return .roomTopic
        case .setFloor: return .floorSet
        case .raiseHand: return .handRaise
        case .lowerHand: return .handLower
        case .giveFloor: return .floorGive
        case .allowDirectMessages: return .dmAllow
        case .sayPrivately: return .dm
        case .noteSideRoom, .createSide: return .sideOpen
        case .setGoal: return .goalSet
        case .reviseGoal: return .goalRevise
        case .setGoalStatus: return .goalStatus
        case .addSharedGoal: return .sharedGoalAdd
        case .decideSharedGoal: return .sharedGoalDecide
        case .configure: return .roomSettings
        case .startRound: return .roundStart
        case .passTurn: return .roundPass
        case .checkIn: return .checkIn
        case .skipTurn: return .roundSkip
        case .extendTurn: return .roundExtend
        case .closeRound: return .roundClose
        case .setAttendance: return .attendanceSet
        case .tick, .arrive, .away: return .roundTick
        }
    }
}
