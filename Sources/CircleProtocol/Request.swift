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
    case memberMute(MemberSanction)
    case memberUnmute(MemberRef)
    case memberRole(MemberRole)
    case memberKick(MemberSanction)
    case memberBan(MemberSanction)
    case memberUnban(MemberRef)
    case messageRemove(MessageRemove)
    case messageOriginal(MessageRef)
    case roomLock(RoomRef)
    case roomUnlock(RoomRef)
    case roomTopic(RoomText)
    case floorSet(FloorSet)
    case handRaise(RoomRef)
    case handLower(HandLower)
    case floorGive(FloorGive)
    case dmAllow(DirectMessagesAllow)
    case dm(DirectMessage)
    case sideOpen(MemberRef)
    case noteAdd(NoteAdd)
    case noteList(MemberRef)
    case goalSet(GoalSet)
    case goalRevise(GoalRevise)
    case goalStatus(GoalStatus)
    case sharedGoalAdd(RoomText)
    case sharedGoalDecide(SharedGoalDecide)
    case roomSettings(RoomSettings)
    case roundStart(RoundStart)
    case roundPass(RoomRef)
    case checkIn(CheckInSubmit)
    case roundSkip(RoomRef)
    case roundExtend(RoundExtend)
    case roundClose(RoomRef)
    case roundWho(RoomRef)
    case attendanceSet(AttendanceSet)
    case progress(ProgressQuery)
    case overview(RoomRef)
    case journalAdd(JournalAdd)
    case journalList(JournalList)
    case journalShare(JournalShare)
    case journalSummary(JournalSummary)
    case journalShared(ProgressQuery)
    case archiveExport(ArchiveExport)
    case archiveMine(RoomRef)
    case archiveRead(ArchiveRead)
    case tokenRevoke

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
        case .memberRole: return .memberRole
        case .memberKick: return .memberKick
        case .memberBan: return .memberBan
        case .memberUnban: return .memberUnban
        case .messageRemove: return .messageRemove
        case .messageOriginal: return .messageOriginal
        case .roomLock: return .roomLock
        case .roomUnlock: return .roomUnlock
        case .roomTopic: return .roomTopic
        case .floorSet: return .floorSet
        case .handRaise: return .handRaise
        case .handLower: return .handLower
        case .floorGive: return .floorGive
        case .dmAllow: return .dmAllow
        case .dm: return .dm
        case .sideOpen: return .sideOpen
        case .noteAdd: return .noteAdd
        case .noteList: return .noteList
        case .goalSet: return .goalSet
        case .goalRevise: return .goalRevise
        case .goalStatus: return .goalStatus
        case .sharedGoalAdd: return .sharedGoalAdd
        case .sharedGoalDecide: return .sharedGoalDecide
        case .roomSettings: return .roomSettings
        case .roundStart: return .roundStart
        case .roundPass: return .roundPass
        case .checkIn: return .checkIn
        case .roundSkip: return .roundSkip
        case .roundExtend: return .roundExtend
        case .roundClose: return .roundClose
        case .roundWho: return .roundWho
        case .attendanceSet: return .attendanceSet
        case .progress: return .progress
        case .overview: return .overview
        case .journalAdd: return .journalAdd
        case .journalList: return .journalList
        case .journalShare: return .journalShare
        case .journalSummary: return .journalSummary
        case .journalShared: return .journalShared
        case .archiveExport: return .archiveExport
        case .archiveMine: return .archiveMine
        case .archiveRead: return .archiveRead
        case .tokenRevoke: return .tokenRevoke
        }
    }

    /// The room a room-scoped request names.
    public var room: RoomID? {
        // Most requests are a `say`; the existential cast costs a conformance lookup each time.
        if case .say(let body) = self { return body.room }
        return (body as? any RoomScoped)?.room
    }

    /// The operation's own fields, encoded beside `id` and `op`.
    var body: (any Encodable & Sendable)? {
        switch self {
        case .ping, .roomList, .tokenRevoke: return nil
        case .hello(let body): return body
        case .redeem(let body): return body
        case .roomCreate(let body): return body
        case .inviteCreate(let body): return body
        case .sessionOpen(let body), .sessionClose(let body), .leave(let body), .roomLock(let body),
            .roomUnlock(let body), .handRaise(let body), .roundPass(let body), .roundSkip(let body),
            .roundClose(let body), .roundWho(let body), .overview(let body), .archiveMine(let body):
            return body
        case .join(let body): return body
        case .say(let body): return body
        case .history(let body): return body
        case .auditList(let body): return body
        case .agreementsSet(let body): return body
        case .agreementsAccept(let body): return body
        case .helpSignal(let body): return body
        case .memberMute(let body), .memberKick(let body), .memberBan(let body): return body
        case .memberUnmute(let body), .memberUnban(let body), .sideOpen(let body), .noteList(let body): return body
        case .memberRole(let body): return body
        case .messageRemove(let body): return body
        case .messageOriginal(let body): return body
        case .roomTopic(let body), .sharedGoalAdd(let body): return body
        case .floorSet(let body): return body
        case .handLower(let body): return body
        case .floorGive(let body): return body
        case .dmAllow(let body): return body
        case .dm(let body): return body
        case .noteAdd(let body): return body
        case .goalSet(let body): return body
        case .goalRevise(let body): return body
        case .goalStatus(let body): return body
        case .sharedGoalDecide(let body): return body
        case .roomSettings(let body): return body
        case .roundStart(let body): return body
        case .checkIn(let body): return body
        case .roundExtend(let body): return body
        case .attendanceSet(let body): return body
        case .progress(let body), .journalShared(let body): return body
        case .journalAdd(let body): return body
        case .journalList(let body): return body
        case .journalShare(let body): return body
        case .journalSummary(let body): return body
        case .archiveExport(let body): return body
        case .archiveRead(let body): return body
        }
    }
}

/// A request body that names the room it is about.
public protocol RoomScoped {
    var room: RoomID { get }
}
