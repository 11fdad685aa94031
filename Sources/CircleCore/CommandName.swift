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
}
