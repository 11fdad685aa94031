/// What happened, one case per kind of event in a room's log.
///
/// Cases are only ever added: stored logs and archives must stay readable by every later
/// version of the server.
public enum EventBody: Hashable, Sendable {
    /// The room came into being; its creator is the event's actor and its first facilitator.
    case roomCreated(name: String, ownerName: String)
    /// An invite was issued. The code itself is never in the log, only its identity.
    case inviteCreated(invite: InviteID, uses: Int, expiresAt: Timestamp?, role: RoomRole)
    /// Someone became a member of the room.
    case memberJoined(member: AccountID, name: String, role: RoomRole, invite: InviteID?)
    /// A weekly meeting began.
    case sessionOpened(number: Int)
    /// A weekly meeting ended.
    case sessionClosed(number: Int)
    /// A member spoke. `clientID` is the sender's idempotency key, if it gave one.
    case message(text: String, clientID: String?)
    /// The group's agreements, as written by a facilitator; every new version must be
    /// accepted again before a participant speaks.
    case agreementsSet(version: Int, text: String)
    /// A member accepted this version of the agreements.
    case agreementsAccepted(version: Int)
    /// A member privately asked the facilitators for help (audience: facilitators).
    case helpRequested(note: String?)
    /// A message matched a risk phrase (audience: facilitators); `message` is its sequence number.
    case riskAlert(message: Int64, phrase: String)
    /// A facilitator muted a member, until a moment or (nil) until lifted, and said why.
    case memberMuted(member: AccountID, until: Timestamp?, reason: String)
    case memberUnmuted(member: AccountID)
    /// The site's crisis text, shown to the member whose message matched (audience: that member).
    case crisisCard(text: String)
    /// A facilitator changed a member's role.
    case memberRoleChanged(member: AccountID, role: RoomRole)
    /// A facilitator sent a member out of the room for now; they may join again.
    case memberKicked(member: AccountID, reason: String)
    /// A facilitator banned a member, until a moment or (nil) until lifted.
    case memberBanned(member: AccountID, until: Timestamp?, reason: String)
    case memberUnbanned(member: AccountID)
    /// A facilitator removed a message: members see it as removed, facilitators may still
    /// read it (audited), and its author is told why.
    case messageRemoved(message: Int64, author: AccountID, reason: String)
    /// The room was locked (no new members) or unlocked.
    case roomLocked(Bool)
    /// The room's topic; empty clears it.
    case topicSet(text: String)
    /// The floor mode changed; `seconds` is slow mode's gap.
    case floorModeSet(mode: FloorMode, seconds: Int?)
    /// The actor raised a hand.
    case handRaised
    /// A member's hand went down (theirs, or a facilitator's doing).
    case handLowered(member: AccountID)
    /// The floor or the talking piece went to a member (nil: back to no one), until a moment
    /// or (nil) until it is passed on.
    case floorGiven(member: AccountID?, until: Timestamp?)
    /// Direct messages between members were allowed or disallowed.
    case directMessagesSet(allowed: Bool)
    /// A facilitator opened a side room with one member (in the parent room's log).
    case sideRoomOpened(room: RoomID, member: AccountID)
    /// This room is a side room of `parent` for one member (the second event of its log).
    case sideRoomCreated(parent: RoomID, member: AccountID, name: String)
    /// A member's new personal goal (audience: the room, or the member and the facilitators).
    case goalSet(goal: Goal)
    /// A goal reworded or otherwise changed; the earlier wording and the reason are kept.
    case goalRevised(
        goal: GoalID, text: String, horizon: Goal.Horizon, target: String?, visibility: Goal.Visibility, reason: String)
    case goalStatusSet(goal: GoalID, status: Goal.Status, reason: String?)
    /// A facilitator added a shared goal.
    case sharedGoalAdded(goal: GoalID, text: String)
    /// A member proposed a shared goal for the facilitators to accept or decline.
    case sharedGoalProposed(goal: GoalID, text: String)
    case sharedGoalDecided(goal: GoalID, accepted: Bool, reason: String?)
    /// The room's settings for goals and rounds.
    case settingsSet(maxGoals: Int, crossTalk: CrossTalk)
    /// A round began; `queue` is every member in turn order.
    case roundStarted(
        number: Int, kind: Round.Kind, prompt: String, queue: [AccountID], turnSeconds: Int?, instrument: String?)
    /// A member's turn began, until a moment if the round is timed.
    case turnBegan(member: AccountID, endsAt: Timestamp?)
    /// 80% of the turn's time has gone.
    case turnWarned(member: AccountID)
    case turnExtended(member: AccountID, endsAt: Timestamp)
    case turnEnded(member: AccountID, outcome: Round.Outcome)
    /// What the group sees of a check-in (ratings of goals the group may see).
    case checkInRecorded(member: AccountID, checkIn: CheckIn)
    /// The rest of a check-in: facilitators-only goals and the instrument (audience: the member
    /// and the facilitators).
    case checkInPrivate(member: AccountID, checkIn: CheckIn)
    /// An instrument's alert item was answered above 0 (audience: facilitators).
    case instrumentAlert(member: AccountID, instrument: String, items: [Int])
    case roundEnded(number: Int, summary: [Round.SummaryLine], early: Bool)
    case attendanceSet(member: AccountID, session: Int, status: Attendance)
    /// Never stored: what a reader gets in place of an event they may not read in full, such
    /// as a removed message. `kind` is the original's kind.
    case withheld(kind: String)

    /// The stable name of this kind of event, as stored and sent.
    public var kind: String {
        switch self {
        case .roomCreated: return "room_created"
        case .inviteCreated: return "invite_created"
        case .memberJoined: return "member_joined"
        case .sessionOpened: return "session_opened"
        case .sessionClosed: return "session_closed"
        case .message: return "message"
        case .agreementsSet: return "agreements_set"
        case .agreementsAccepted: return "agreements_accepted"
        case .helpRequested: return "help_requested"
        case .riskAlert: return "risk_alert"
        case .crisisCard: return "crisis_card"
        case .memberMuted: return "member_muted"
        case .memberUnmuted: return "member_unmuted"
        case .memberRoleChanged: return "member_role_changed"
        case .memberKicked: return "member_kicked"
        case .memberBanned: return "member_banned"
        case .memberUnbanned: return "member_unbanned"
        case .messageRemoved: return "message_removed"
        case .roomLocked(let locked): return locked ? "room_locked" : "room_unlocked"
        case .topicSet: return "topic_set"
        case .floorModeSet: return "floor_mode_set"
        case .handRaised: return "hand_raised"
        case .handLowered: return "hand_lowered"
        case .floorGiven: return "floor_given"
        case .directMessagesSet: return "direct_messages_set"
        case .sideRoomOpened: return "side_room_opened"
        case .sideRoomCreated: return "side_room_created"
        case .withheld: return "withheld"
        case .goalSet: return "goal_set"
        case .goalRevised: return "goal_revised"
        case .goalStatusSet: return "goal_status_set"
        case .sharedGoalAdded: return "shared_goal_added"
        case .sharedGoalProposed: return "shared_goal_proposed"
        case .sharedGoalDecided: return "shared_goal_decided"
        case .settingsSet: return "settings_set"
        case .roundStarted: return "round_started"
        case .turnBegan: return "turn_began"
        case .turnWarned: return "turn_warned"
        case .turnExtended: return "turn_extended"
        case .turnEnded: return "turn_ended"
        case .checkInRecorded: return "check_in"
        case .checkInPrivate: return "check_in_private"
        case .instrumentAlert: return "instrument_alert"
        case .roundEnded: return "round_ended"
        case .attendanceSet: return "attendance_set"
        }
    }
}
