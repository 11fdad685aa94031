/// What the shell must do once an event is committed, beyond publishing it: the core says so
/// here, in one place, and the server only switches on the effects, as swift-nio's state
/// machines return actions rather than leave callers to work them out.
public enum Effect: Hashable, Sendable {
    /// The room's clock changed (a round's deadline, a timed ban): wake the room at its next
    /// moment (`RoomState.nextWake`).
    case rearmRoundTimer
    /// This member's ban ended: their connections that the ban sent out hear it, so they may
    /// come back.
    case readmit(AccountID)
    /// The turn went to this member: if none of their connections follows the room, they are
    /// moved on (the `away` command).
    case moveOnIfAway(AccountID)
    /// This member no longer follows the room (kicked or banned): their connections are sent
    /// out after hearing why, and the others are told they went.
    case unsubscribe(AccountID)
    /// This member's connections receive as this role from now on.
    case receiveAs(AccountID, RoomRole)

    /// The effects of one committed event, in order.
    public static func of(_ event: Event) -> [Effect] {
        switch event.body {
        case .turnBegan(let member, _): return [.moveOnIfAway(member), .rearmRoundTimer]
        case .roundStarted, .turnEnded, .turnWarned, .turnExtended, .roundEnded: return [.rearmRoundTimer]
        case .memberKicked(let member, _): return [.unsubscribe(member)]
        case .memberBanned(let member, let until, _):
            return until == nil ? [.unsubscribe(member)] : [.unsubscribe(member), .rearmRoundTimer]
        case .memberUnbanned(let member): return [.readmit(member), .rearmRoundTimer]
        case .memberRoleChanged(let member, let role): return [.receiveAs(member, role)]
        case .roomCreated, .inviteCreated, .memberJoined, .sessionOpened, .sessionClosed, .message, .agreementsSet,
            .agreementsAccepted, .helpRequested, .riskAlert, .memberMuted, .memberUnmuted, .crisisCard,
            .messageRemoved, .roomLocked, .topicSet, .floorModeSet, .handRaised, .handLowered,
            .floorGiven, .directMessagesSet, .sideRoomOpened, .sideRoomCreated, .goalSet, .goalRevised,
            .goalStatusSet, .sharedGoalAdded, .sharedGoalProposed, .sharedGoalDecided, .settingsSet,
            .checkInRecorded, .checkInPrivate, .instrumentAlert, .attendanceSet, .withheld:
            return []
        }
    }
}

extension Decision {
    /// What the shell does after this decision's events are committed, in log order.
    public var effects: [Effect] {
        switch self {
        case .append(let events): return events.flatMap(Effect.of)
        case .duplicate: return []
        }
    }
}
