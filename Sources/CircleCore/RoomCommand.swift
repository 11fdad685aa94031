/// A request to change a room, already parsed and carrying any identifiers the server minted.
public enum RoomCommand: Hashable, Sendable {
    case create(name: String, ownerName: String)
    case createInvite(invite: InviteID, uses: Int, expiresAt: Timestamp?)
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
        }
    }
}
