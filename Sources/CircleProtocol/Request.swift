import CircleCore

/// A parsed client request: one case per operation, each with its own fields.
public enum Request: Hashable, Sendable {
    case hello(Hello)
    case ping
    case redeem(Redeem)
    case roomCreate(RoomCreate)
    case roomList
    case inviteCreate(InviteCreate)
    case sessionOpen(RoomRef)
    case sessionClose(RoomRef)
    case join(Join)
    case leave(RoomRef)
    case say(Say)
    case history(History)
    case auditList(AuditList)
    case agreementsSet(AgreementsSet)
    case agreementsAccept(AgreementsAccept)
    case helpSignal(HelpSignal)
    case memberMute(MemberMute)
    case memberUnmute(MemberRef)

    public var operation: CommandName {
        switch self {
        case .hello: return .hello
        case .ping: return .ping
        case .redeem: return .redeem
        case .roomCreate: return .roomCreate
        case .roomList: return .roomList
        case .inviteCreate: return .inviteCreate
        case .sessionOpen: return .sessionOpen
        case .sessionClose: return .sessionClose
        case .join: return .join
        case .leave: return .leave
        case .say: return .say
        case .history: return .history
        case .auditList: return .auditList
        case .agreementsSet: return .agreementsSet
        case .agreementsAccept: return .agreementsAccept
        case .helpSignal: return .helpSignal
        case .memberMute: return .memberMute
        case .memberUnmute: return .memberUnmute
        }
    }

    /// The room a room-scoped request names.
    public var room: RoomID? {
        switch self {
        case .hello, .ping, .redeem, .roomCreate, .roomList: return nil
        case .inviteCreate(let body): return body.room
        case .sessionOpen(let body), .sessionClose(let body), .leave(let body): return body.room
        case .join(let body): return body.room
        case .say(let body): return body.room
        case .history(let body): return body.room
        case .auditList(let body): return body.room
        case .agreementsSet(let body): return body.room
        case .agreementsAccept(let body): return body.room
        case .helpSignal(let body): return body.room
        case .memberMute(let body): return body.room
        case .memberUnmute(let body): return body.room
        }
    }
}
