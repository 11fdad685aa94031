import CircleArchive
import CircleCore
import CircleStore
import Foundation

/// Restores a session's or a room's archive into a data folder (with its server stopped): the
/// archive is verified first, then its events are written a page at a time; an event already
/// there must be identical, so importing twice changes nothing.
public enum ArchiveImporter {
    /// What an import did.
    public struct Outcome: Sendable {
        public var header: ArchiveHeader
        public var added: Int
        public var alreadyThere: Int
    }

    public static func importArchive(
        path: String, passphrase: String?, into store: any Storage, at now: Timestamp
    ) throws -> Outcome {
        let checked = try ArchiveReader.read(path: path, passphrase: passphrase, depth: .structure)
        let header = checked.header
        guard header.scope != .member else {
            throw CircleError(.badField, "A member's own export is theirs to keep; it is not imported into a server.")
        }
        let held = try store.lastSeq(room: header.room)
        guard header.firstSeq <= held + 1 else {
            throw CircleError(
                .badField,
                "This archive starts at event #\(header.firstSeq), but \(header.room) holds events only up to #\(held); "
                    + "import the sessions before it first, or the room's whole archive.")
        }
        var room: ArchiveRoom?
        var accounts: [(AccountID, String, AccountKind)] = []
        var page: [(Event, Data)] = []
        var added = 0
        var total = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func flush() throws {
            guard let room, let owner = room.owner else {
                throw CircleError(.badField, "The archive has no room record before its events.")
            }
            let createdAt = header.from ?? header.createdAt
            added += try store.importPage(
                room: (room.id, room.name, owner, createdAt), accounts: accounts, events: page)
            accounts = []
            page.removeAll(keepingCapacity: true)
        }
        try ArchiveReader.read(path: path, passphrase: passphrase) { record in
            switch record {
            case .room(let value):
                guard value.id == header.room else {
                    throw CircleError(.badField, "The room record names \(value.id), the header \(header.room).")
                }
                room = value
            case .member(let member):
                accounts.append((member.id, member.name, member.role == .facilitator ? .facilitator : .participant))
            case .event(let event):
                guard event.room == header.room else {
                    throw CircleError(.badField, "Event #\(event.seq) belongs to \(event.room), not \(header.room).")
                }
                page.append((event, try encoder.encode(event)))
                total += 1
                if page.count == 5000 { try flush() }
            default:
                break
            }
        }
        try flush()
        try store.audit(
            AuditRecord(
                at: now, actor: nil, action: .archiveImported, room: header.room,
                target: header.session.map { "session \($0)" } ?? "room",
                detail: "\(added) events added, \(total - added) already there"))
        return Outcome(header: header, added: added, alreadyThere: total - added)
    }
}
