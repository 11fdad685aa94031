/// What happened, one case per kind of event in a room's log.
///
/// Cases are only ever added: stored logs and archives must stay readable by every later
/// version of the server.
public enum EventBody: Hashable, Sendable {
    /// The room came into being; its creator is the event's actor and its first facilitator.
    case roomCreated(name: String, ownerName: String)
    /// An invite was issued. The code itself is never in the log, only its identity.
    case inviteCreated(invite: InviteID, uses: Int, expiresAt: Timestamp?)
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
        }
    }
}
