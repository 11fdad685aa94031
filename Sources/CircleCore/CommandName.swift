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
