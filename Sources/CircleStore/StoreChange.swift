import CircleCore
import Foundation

/// One thing a request writes. The changes of one request commit together, in order, in the
/// group commit's transaction.
public enum StoreChange: Sendable {
    /// An event, with the JSON it is stored and sent as (encoded once, by the caller).
    case event(Event, json: Data)
    case room(id: RoomID, name: String, owner: AccountID, createdAt: Timestamp)
    case account(AccountRecord, tokenHash: String)
    case invite(id: InviteID, room: RoomID, codeHash: String, createdAt: Timestamp)
    /// An entry for the audit trail, chained to the one before inside the transaction.
    case audit(AuditRecord)
    /// A facilitator's private note about a member, kept outside the room's log.
    case note(NoteRecord)
    /// A private journal entry (its `sharedWith` is ignored; sharing is its own change).
    case journal(JournalEntry)
    /// Shares a journal entry with a room's facilitators.
    case journalShare(entry: Int64, room: RoomID, at: Timestamp)
    /// Records a session archive written into the data folder (replacing an earlier one).
    case archive(ArchiveEntry)
    /// Writes nothing: ties a request to a room's queue, so it is refused (and discarded) with
    /// that room's refused requests. A duplicate waits on one, since its original may be one.
    case barrier(room: RoomID)
    /// A room's state through `seq`, replacing the room's earlier snapshot.
    case snapshot(room: RoomID, seq: Int64, version: Int, json: Data)
    /// Revokes one token (by its hash), audited with who did it when any was revoked.
    case revokeToken(hash: String, by: AccountID?, at: Timestamp)
    /// Retention: deletes an archived session's events from the live log and records where
    /// they are kept, audited; does nothing for a room under legal hold.
    case purge(ArchiveEntry, at: Timestamp)
}

extension StoreChange {
    /// Whether committing it may append to the audit trail, so the folder's anchor is raised
    /// after the commit.
    var mayAudit: Bool {
        switch self {
        case .audit, .revokeToken, .purge: true
        case .event, .room, .account, .invite, .note, .journal, .journalShare, .archive, .barrier, .snapshot: false
        }
    }
}
