import CircleCore
import GRDB

/// A commit that failed, as the committer reports it to the server.
public struct CommitFault: Sendable {
    public enum Kind: String, Sendable {
        /// One request's data could not be stored; it alone (with any later request of the
        /// same rooms) was refused, and the rest of its batch committed.
        case request
        /// The disk is full; the batch was refused, and the committer goes on.
        case diskFull = "disk_full"
        /// The database was locked past the busy timeout (another process writing); the batch
        /// was refused, and the committer goes on.
        case busy
        /// The store failed in a way that cannot be trusted; the committer has stopped.
        case fatal
    }

    public var kind: Kind
    /// What SQLite said.
    public var cause: String
    /// Rooms whose in-memory state ran ahead of the log: each must be read back from it.
    public var rooms: Set<RoomID>
    /// How many requests were refused.
    public var refused: Int
}

/// Why a write failed, as far as what to do next is concerned.
enum StorageFault: Equatable {
    case request
    case diskFull
    case busy
    case fatal

    /// What is logged of a failure: SQLite's code and message, never a statement's arguments
    /// (the words members wrote), whatever GRDB's settings are.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DatabaseError else { return String(describing: type(of: error)) }
        return "SQLite error \(error.extendedResultCode.rawValue) (\(error.resultCode)): \(error.message ?? "")"
    }

    static func of(_ error: any Error) -> StorageFault {
        guard let error = error as? DatabaseError else { return .fatal }
        switch error.resultCode {
        // The row itself is at fault: the same write would fail again, and others need not.
        case .SQLITE_CONSTRAINT, .SQLITE_MISMATCH, .SQLITE_TOOBIG, .SQLITE_RANGE: return .request
        case .SQLITE_FULL: return .diskFull
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy
        default: return .fatal
        }
    }
}
