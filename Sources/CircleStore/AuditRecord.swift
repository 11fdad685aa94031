import CircleCore

/// One entry of the audit trail: who did what, when, to which room or person. Entries are only
/// ever appended; each carries the hash of the one before, so an edit or a deletion anywhere
/// breaks the chain from there on.
public struct AuditRecord: Hashable, Sendable {
    /// What happened, by its stable name.
    public enum Action: String, Sendable, CaseIterable {
        case login
        case loginFailed = "login_failed"
        case accountCreated = "account_created"
        case memberJoined = "member_joined"
        case roomCreated = "room_created"
        case inviteCreated = "invite_created"
        case sessionOpened = "session_opened"
        case sessionClosed = "session_closed"
        case memberMuted = "member_muted"
        case memberUnmuted = "member_unmuted"
        case roleChanged = "role_changed"
        case memberKicked = "member_kicked"
        case memberBanned = "member_banned"
        case memberUnbanned = "member_unbanned"
        case messageRemoved = "message_removed"
        case removedMessageRead = "removed_message_read"
        case roomLocked = "room_locked"
        case roomUnlocked = "room_unlocked"
        case topicSet = "topic_set"
        case floorSet = "floor_set"
        case directMessagesSet = "direct_messages_set"
        case sideRoomOpened = "side_room_opened"
        case noteAdded = "note_added"
        case notesRead = "notes_read"
        case attendanceSet = "attendance_set"
        case journalSharedRead = "journal_shared_read"
        case archiveWritten = "archive_written"
        case archiveExported = "archive_exported"
        case archiveImported = "archive_imported"
        case legalHoldSet = "legal_hold_set"
        case legalHoldLifted = "legal_hold_lifted"
        case sessionPurged = "session_purged"
        case tokenRevoked = "token_revoked"
    }

    public var at: Timestamp
    /// The account that acted; nil for the operator at the console or an unknown caller.
    public var actor: AccountID?
    public var action: Action
    public var room: RoomID?
    /// The account or object acted upon, if any.
    public var target: String?
    /// A short note (never message text or a secret).
    public var detail: String

    public init(
        at: Timestamp, actor: AccountID?, action: Action, room: RoomID? = nil, target: String? = nil,
        detail: String = ""
    ) {
        self.at = at
        self.actor = actor
        self.action = action
        self.room = room
        self.target = target
        self.detail = detail
    }
}
