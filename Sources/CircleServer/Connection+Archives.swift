import CircleArchive
import CircleCore
import CircleProtocol
import CircleStore
import Crypto
import Foundation

extension Connection {
    /// The most archive bytes one `archive.read` returns: base64 of it fits a frame with room.
    static let archiveChunk = 32 * 1024

    /// Prepares a session's archive (the one written at its close) or the whole room's, and
    /// audits the export before answering.
    func exportArchive(_ body: Request.ArchiveExport, in room: RoomRuntime, id: Int64?, caller: Caller) async {
        let now = context.clock.now()
        let archiver = context.archiver
        let state = room.read { $0 }
        do {
            let ready: Reply.ArchiveReady
            if let session = body.session {
                guard (1...max(1, state.sessionCount)).contains(session) else {
                    return fail(id, CircleError(.badField, "\(room.id) has no session \(session)."))
                }
                guard session != state.openSession else {
                    return fail(id, CircleError(.badField, "Session \(session) is still open; close it first."))
                }
                var entry = try context.store.archiveEntry(room: room.id, session: session)
                if entry == nil {
                    entry = try await archiver.run { try archiver.archiveSession(session, of: state, at: now) }
                    if let entry { try await context.store.committer.commit([.archive(entry)]) }
                }
                guard let entry else {
                    return fail(id, CircleError(.badField, "Session \(session) of \(room.id) has no events."))
                }
                ready = try Self.ready(context.store.folder + "/" + entry.file)
            } else {
                let through = room.hub.published
                let name = "room-through-\(through).circle.gz"
                let path = try archiver.folder(for: room.id) + "/" + name
                if !FileManager.default.fileExists(atPath: path) {
                    _ = try await archiver.run { try archiver.archiveRoom(state, through: through, to: path, at: now) }
                }
                ready = try Self.ready(path)
            }
            let audit = AuditRecord(
                at: now, actor: caller.account, action: .archiveExported, room: room.id,
                target: body.session.map { "session \($0)" } ?? "room", detail: ready.file)
            try await context.store.committer.commit([.audit(audit)])
            reply(id, ready)
        } catch let error as CircleError {
            fail(id, error)
        } catch {
            fail(id, CircleError(.storageUnavailable, "The archive could not be prepared: \(error)"))
        }
    }

    /// Everything that is the caller's own in this room, as an archive only they may read.
    func exportMine(in room: RoomRuntime, id: Int64?, caller: Caller) async {
        let now = context.clock.now()
        let archiver = context.archiver
        let state = room.read { $0 }
        do {
            let prefix = "member-\(caller.account.rawValue)-"
            let name = "\(prefix)\(now.milliseconds).circle.gz"
            let folder = try archiver.folder(for: room.id)
            let path = folder + "/" + name
            // A member's export is a copy of their words on the server's disk: one at a time,
            // and gone once downloaded (below), so none lingers if a download was abandoned.
            for earlier in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where earlier.hasPrefix(prefix) {
                try? FileManager.default.removeItem(atPath: folder + "/" + earlier)
            }
            _ = try await archiver.run { try archiver.archiveMember(caller.account, of: state, to: path, at: now) }
            let ready = try Self.ready(path)
            let audit = AuditRecord(
                at: now, actor: caller.account, action: .archiveExported, room: room.id,
                target: caller.account.rawValue, detail: "own data: \(name)")
            try await context.store.committer.commit([.audit(audit)])
            reply(id, ready)
        } catch {
            fail(id, CircleError(.storageUnavailable, "Your archive could not be prepared: \(error)"))
        }
    }

    /// One chunk of a prepared archive. A member's own export is theirs alone; the room's and
    /// its sessions' are for its facilitators.
    func readArchive(_ body: Request.ArchiveRead, in room: RoomRuntime, id: Int64?, member: Member) {
        let name = body.file
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), name.hasSuffix(".circle.gz") else {
            return fail(id, CircleError(.badField, "Field 'file' must name an archive prepared for this room."))
        }
        if name.hasPrefix("member-") {
            guard name.hasPrefix("member-\(member.id.rawValue)-") else {
                return fail(id, CircleError(.forbidden, "That archive belongs to another member."))
            }
        } else if !member.role.isFacilitating {
            return fail(id, CircleError(.forbidden, "The room's archives are for its facilitators."))
        }
        guard body.offset >= 0 else { return fail(id, CircleError(.badField, "Field 'offset' must be 0 or more.")) }
        do {
            let path = try context.archiver.folder(for: room.id) + "/" + name
            guard let file = FileHandle(forReadingAtPath: path) else {
                return fail(id, CircleError(.badField, "There is no archive '\(name)' here; export it first."))
            }
            defer { try? file.close() }
            let size = Int(try file.seekToEnd())
            guard body.offset <= size else {
                return fail(id, CircleError(.badField, "Field 'offset' is past the archive's end (\(size) bytes)."))
            }
            try file.seek(toOffset: UInt64(body.offset))
            let data = try file.read(upToCount: Self.archiveChunk) ?? Data()
            let done = body.offset + data.count >= size
            reply(id, Reply.ArchiveChunk(offset: body.offset, data: data.base64EncodedString(), done: done))
            // A member's own export is not kept once its last chunk has been read.
            if done && name.hasPrefix("member-") { try? FileManager.default.removeItem(atPath: path) }
        } catch {
            fail(id, CircleError(.storageUnavailable, "The archive could not be read."))
        }
    }

    private static func ready(_ path: String) throws -> Reply.ArchiveReady {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw CircleError(.internalError, "archive vanished")
        }
        defer { try? file.close() }
        var hasher = SHA256()
        var bytes = 0
        while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += chunk.count
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return Reply.ArchiveReady(file: (path as NSString).lastPathComponent, bytes: bytes, sha256: digest)
    }
}
