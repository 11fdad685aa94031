/// Every request a client can make, by its wire name. The command table is keyed by these.
public enum CommandName: String, Sendable, Codable, CaseIterable, Hashable {
    case hello
    case ping
    case redeem
    case roomCreate = "room.create"
    case roomList = "room.list"
    case inviteCreate = "invite.create"
    case sessionOpen = "session.open"
    case sessionClose = "session.close"
    case join
    case leave
    case say
    case history
    case auditList = "audit.list"
    case agreementsSet = "agreements.set"
    case agreementsAccept = "agreements.accept"
    case helpSignal = "help.signal"
    case memberMute = "member.mute"
    case memberUnmute = "member.unmute"
    case memberRole = "member.role"
    case memberKick = "member.kick"
    case memberBan = "member.ban"
    case memberUnban = "member.unban"
    case messageRemove = "message.remove"
    case messageOriginal = "message.original"
    case roomLock = "room.lock"
    case roomUnlock = "room.unlock"
    case roomTopic = "room.topic"
    case floorSet = "floor.set"
    case handRaise = "hand.raise"
    case handLower = "hand.lower"
    case floorGive = "floor.give"
    case dmAllow = "dm.allow"
    case dm
    case sideOpen = "side.open"
    case noteAdd = "note.add"
    case noteList = "note.list"
    case goalSet = "goal.set"
    case goalRevise = "goal.revise"
    case goalStatus = "goal.status"
    case sharedGoalAdd = "goal.shared.add"
    case sharedGoalDecide = "goal.shared.decide"
    case roomSettings = "room.settings"
    case roundStart = "round.start"
    case roundPass = "round.pass"
    case checkIn = "checkin"
    case roundSkip = "round.skip"
    case roundExtend = "round.extend"
    case roundClose = "round.close"
    case roundWho = "round.who"
    case attendanceSet = "attendance.set"
    case progress
    case overview
    case journalAdd = "journal.add"
    case journalList = "journal.list"
    case journalShare = "journal.share"
    case journalSummary = "journal.summary"
    case journalShared = "journal.shared"
    case archiveExport = "archive.export"
    case archiveMine = "archive.mine"
    case archiveRead = "archive.read"
    case tokenRevoke = "token.revoke"
    /// The server's own housekeeping (round timers, arrivals); never accepted from a client.
    case roundTick = "round.tick"
}

/// What one command is for people and for the role table: the words a refusal uses, and who
/// may run it. Every command's line is in `CommandName.spec`, so a new name does not compile
/// until its permission is written.
public struct CommandSpec: Sendable, Hashable {
    /// What the command does, in words a refusal can use ("Only facilitators can decide on
    /// shared goals"): a person asked for an action, not for an op name.
    public let action: String
    /// Who may run it.
    public let rule: CommandTable.Rule

    init(_ action: String, _ rule: CommandTable.Rule) {
        self.action = action
        self.rule = rule
    }
}

extension CommandName {
    static let facilitating: Set<RoomRole> = [.facilitator, .coFacilitator]
    static let everyMember = Set(RoomRole.allCases)
    static let anyAccount = Set(AccountKind.allCases)

    /// The role table itself, one line per command. Keep it literal: reviewers read
    /// permissions here and nowhere else.
    public var spec: CommandSpec {
        switch self {
        case .hello: CommandSpec("sign in", .anyone)
        case .ping: CommandSpec("check the connection", .anyone)
        case .redeem: CommandSpec("redeem an invite", .anyone)
        case .roomCreate: CommandSpec("create rooms", .account([.facilitator]))
        case .roomList: CommandSpec("list rooms", .account(Self.anyAccount))
        case .inviteCreate: CommandSpec("invite people", .room(Self.facilitating))
        case .sessionOpen: CommandSpec("open sessions", .room(Self.facilitating))
        case .sessionClose: CommandSpec("close sessions", .room(Self.facilitating))
        case .join: CommandSpec("join the room", .room(Self.everyMember))
        case .leave: CommandSpec("leave the room", .room(Self.everyMember))
        case .say: CommandSpec("write in the room", .room([.facilitator, .coFacilitator, .participant]))
        case .history: CommandSpec("read the room's history", .room(Self.everyMember))
        case .auditList: CommandSpec("read the audit trail", .room(Self.facilitating))
        case .agreementsSet: CommandSpec("write the group's agreements", .room(Self.facilitating))
        case .agreementsAccept: CommandSpec("accept the agreements", .room(Self.everyMember))
        case .helpSignal: CommandSpec("signal for help", .room(Self.everyMember))
        case .memberMute: CommandSpec("mute members", .room(Self.facilitating))
        case .memberUnmute: CommandSpec("unmute members", .room(Self.facilitating))
        case .memberRole: CommandSpec("change members' roles", .room([.facilitator]))
        case .memberKick: CommandSpec("remove members from a session", .room(Self.facilitating))
        case .memberBan: CommandSpec("ban members", .room(Self.facilitating))
        case .memberUnban: CommandSpec("lift bans", .room(Self.facilitating))
        case .messageRemove: CommandSpec("remove messages", .room(Self.facilitating))
        case .messageOriginal: CommandSpec("read removed messages", .room(Self.facilitating))
        case .roomLock: CommandSpec("lock the room", .room(Self.facilitating))
        case .roomUnlock: CommandSpec("unlock the room", .room(Self.facilitating))
        case .roomTopic: CommandSpec("set the topic", .room(Self.facilitating))
        case .floorSet: CommandSpec("set how the floor is shared", .room(Self.facilitating))
        case .handRaise: CommandSpec("raise a hand", .room([.participant]))
        case .handLower: CommandSpec("lower a hand", .room([.facilitator, .coFacilitator, .participant]))
        // Facilitators give the floor; a participant only passes a talking piece they hold.
        case .floorGive: CommandSpec("give the floor", .room([.facilitator, .coFacilitator, .participant]))
        case .dmAllow: CommandSpec("allow or stop private messages", .room(Self.facilitating))
        // Observers too, but only to the facilitators (RoomState.decide).
        case .dm: CommandSpec("send private messages", .room(Self.everyMember))
        case .sideOpen: CommandSpec("open side rooms", .room(Self.facilitating))
        case .noteAdd: CommandSpec("write facilitator notes", .room(Self.facilitating))
        case .noteList: CommandSpec("read facilitator notes", .room(Self.facilitating))
        // Participants keep their own goals; facilitators set them with a member (RoomState.decide).
        case .goalSet: CommandSpec("set goals", .room([.facilitator, .coFacilitator, .participant]))
        case .goalRevise: CommandSpec("revise goals", .room([.facilitator, .coFacilitator, .participant]))
        case .goalStatus: CommandSpec("change a goal's status", .room([.facilitator, .coFacilitator, .participant]))
        // A participant's shared goal is a proposal; a facilitator's is the group's at once.
        case .sharedGoalAdd: CommandSpec("propose shared goals", .room([.facilitator, .coFacilitator, .participant]))
        case .sharedGoalDecide: CommandSpec("decide on shared goals", .room(Self.facilitating))
        case .roomSettings: CommandSpec("change the room's settings", .room(Self.facilitating))
        case .roundStart: CommandSpec("start rounds", .room(Self.facilitating))
        case .roundPass: CommandSpec("pass in a round", .room([.participant]))
        case .checkIn: CommandSpec("check in", .room([.participant]))
        case .roundSkip: CommandSpec("skip a turn", .room(Self.facilitating))
        case .roundExtend: CommandSpec("extend a turn", .room(Self.facilitating))
        case .roundClose: CommandSpec("close rounds", .room(Self.facilitating))
        case .roundWho: CommandSpec("see who is still to go in a round", .room(Self.everyMember))
        case .attendanceSet: CommandSpec("record attendance", .room(Self.facilitating))
        // A participant sees their own progress; facilitators anyone's.
        case .progress: CommandSpec("read progress", .room([.facilitator, .coFacilitator, .participant]))
        case .overview: CommandSpec("read the group's overview", .room(Self.facilitating))
        case .journalAdd: CommandSpec("write in a journal", .account(Self.anyAccount))
        case .journalList: CommandSpec("read a journal", .account(Self.anyAccount))
        case .journalShare: CommandSpec("share journal entries", .account(Self.anyAccount))
        case .journalSummary: CommandSpec("read a journal's summary", .account(Self.anyAccount))
        case .journalShared: CommandSpec("read shared journal entries", .room(Self.facilitating))
        case .archiveExport: CommandSpec("export the room's archive", .room(Self.facilitating))
        // Everything that is a member's own, as an archive.
        case .archiveMine: CommandSpec("export your own record", .room([.facilitator, .coFacilitator, .participant]))
        // Whose file it is decides further: a member's export is theirs alone.
        case .archiveRead: CommandSpec("download archives", .room(Self.everyMember))
        case .tokenRevoke: CommandSpec("revoke tokens", .account(Self.anyAccount))
        // Listed so the table stays complete; no role may send it (the server issues it itself).
        case .roundTick: CommandSpec("drive the round's clock", .room([]))
        }
    }

    /// What the command does, in words a refusal can use.
    public var action: String { spec.action }
}
