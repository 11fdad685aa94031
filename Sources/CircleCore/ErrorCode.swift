/// The stable machine-readable reason a request failed. Clients switch on these; never rename one.
public enum ErrorCode: String, Sendable, Codable, CaseIterable, Hashable {
    // Framing and parsing: the request could not be understood.
    case badJSON = "bad_json"
    case invalidUTF8 = "invalid_utf8"
    case frameTooLarge = "frame_too_large"
    case tooManyBadFrames = "too_many_bad_frames"
    case frameIncomplete = "frame_incomplete"
    case unknownOperation = "unknown_op"
    case missingField = "missing_field"
    case badField = "bad_field"
    case unsupportedProtocol = "unsupported_protocol"
    // Identity and permission.
    case helloRequired = "hello_required"
    case alreadyGreeted = "already_greeted"
    case notAuthenticated = "not_authenticated"
    case badToken = "bad_token"
    case authTimeout = "auth_timeout"
    case forbidden
    case notAMember = "not_a_member"
    case alreadyMember = "already_member"
    // Rooms and invites.
    case noSuchRoom = "no_such_room"
    case badInvite = "bad_invite"
    case inviteExpired = "invite_expired"
    case inviteUsedUp = "invite_used_up"
    case nameInvalid = "name_invalid"
    case nameTaken = "name_taken"
    case textInvalid = "text_invalid"
    case sessionAlreadyOpen = "session_already_open"
    case noOpenSession = "no_open_session"
    case agreementsNotAccepted = "agreements_not_accepted"
    case agreementsChanged = "agreements_changed"
    case muted
    case banned
    case roomLocked = "room_locked"
    case floorClosed = "floor_closed"
    case slowMode = "slow_mode"
    case directMessagesOff = "direct_messages_off"
    case noSuchMember = "no_such_member"
    case noSuchMessage = "no_such_message"
    case noSuchGoal = "no_such_goal"
    case tooManyGoals = "too_many_goals"
    case roundInProgress = "round_in_progress"
    case noRound = "no_round"
    case notYourTurn = "not_your_turn"
    case roomFull = "room_full"
    // Limits.
    case rateLimited = "rate_limited"
    case tooManyConnections = "too_many_connections"
    case idleLogoff = "idle_logoff"
    case tokenRevoked = "token_revoked"
    // The server itself.
    case storageUnavailable = "storage_unavailable"
    case storageFull = "storage_full"
    case shuttingDown = "shutting_down"
    case internalError = "internal"
}
