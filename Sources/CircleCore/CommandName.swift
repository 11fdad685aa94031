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
}
