import CircleArchive
import CircleCore
import CircleStore
import Dispatch
import Foundation

/// Writes the archives of the data folder: a session's when it closes, a whole room's or one
/// member's on request. The work runs on its own queue, never on the event loops or the
/// cooperative pool, and streams from SQLite a page at a time.
public final class Archiver: Sendable {
    let store: any Storage
    let serverVersion: String
    /// zlib's level: 1 is several times faster than the default 6 for about 20% more bytes.
    let level: Int32
    private let queue = DispatchQueue(label: "circle-archive")

    public init(store: any Storage, serverVersion: String, level: Int32 = 1) {
        self.store = store
        self.serverVersion = serverVersion
        self.level = level
    }

    /// `DATA/archives/ROOM`, created on first use.
    func folder(for room: RoomID) throws -> String {
        let folder = store.folder + "/archives/" + room.rawValue
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder
    }

    /// Runs `work` on the archive queue and hands its result back.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Writes (or rewrites) a session's archive, verifies it, and records it.
    public func archiveSession(_ session: Int, of state: RoomState, at now: Timestamp, verify: Bool = true) throws
        -> ArchiveEntry?
    {
        guard let span = try store.sessionSpan(room: state.id, session: session) else { return nil }
        let name = "session-\(session).circle.gz"
        let path = try folder(for: state.id) + "/" + name
        let checkIns = state.memberOrder.flatMap { member in
            (state.records[member]?.checkIns ?? []).filter { $0.session == session }.map {
                ArchiveCheckIn(member: member, session: session, at: $0.at, checkIn: $0.checkIn)
            }
        }
        let summary = try write(
            to: path, scope: .session, state: state, session: session, firstSeq: span.first, lastSeq: span.last,
            eventCount: span.count, checkIns: checkIns, at: now
        ) { writer in
            try store.forEachStoredEvent(room: state.id, after: span.first - 1, through: span.last) {
                try writer.writeEvent(json: $0.json)
            }
        }
        if verify { try ArchiveReader.read(path: path, depth: .structure) }
        let entry = ArchiveEntry(
            room: state.id, session: session, file: "archives/\(state.id.rawValue)/\(name)", sha256: summary.sha256,
            bytes: summary.fileBytes, events: span.count, firstSeq: span.first, lastSeq: span.last, createdAt: now,
            verifiedAt: verify ? now : nil)
        return entry
    }

    /// Writes a whole room's archive through `through` (purged sessions read back from theirs).
    func archiveRoom(_ state: RoomState, through: Int64, to path: String, at now: Timestamp) throws
        -> ArchiveWriter.Summary
    {
        let checkIns = state.memberOrder.flatMap { member in
            (state.records[member]?.checkIns ?? []).map {
                ArchiveCheckIn(member: member, session: $0.session, at: $0.at, checkIn: $0.checkIn)
            }
        }
        let purges = try store.purges(room: state.id)
        let purged = purges.reduce(0) { $0 + Int($1.last - $1.first + 1) }
        let count = try store.eventCount(room: state.id, through: through) + purged
        return try write(
            to: path, scope: .room, state: state, session: nil, firstSeq: 1, lastSeq: through, eventCount: count,
            checkIns: checkIns, at: now
        ) { writer in
            try RoomLog(store: store).forEach(room: state.id, through: through) { seq, json in
                try writer.writeEvent(json: json)
            }
        }
    }

    /// Writes everything that is one member's own: their goals, check-ins, commitments, their
    /// own events (messages among them) and their journal. Other members do not appear.
    /// Who stands for every other member in a member's own export.
    static let someoneElse = AccountID("another-member")

    func archiveMember(_ member: AccountID, of state: RoomState, to path: String, at now: Timestamp) throws
        -> ArchiveWriter.Summary
    {
        let through = state.lastSeq
        var count = 0
        let own = { (event: Event) in event.actor == member && event.audience.admits(member, role: .participant) }
        try RoomLog(store: store).forEachEvent(room: state.id, through: through) { if own($0) { count += 1 } }
        let journal = try store.journal(author: member, limit: 1_000_000)
        let checkIns = (state.records[member]?.checkIns ?? []).map {
            ArchiveCheckIn(member: member, session: $0.session, at: $0.at, checkIn: $0.checkIn)
        }
        let writer = try ArchiveWriter(path: path, level: level)
        let goals = state.goals.values.filter { $0.member == member }.sorted { $0.id.rawValue < $1.id.rawValue }
        try writer.write(
            .header(
                ArchiveHeader(
                    server: serverVersion, scope: .member, room: state.id, roomName: state.name, session: nil,
                    member: member, firstSeq: 1, lastSeq: through, from: nil, to: nil, createdAt: now,
                    counts: ArchiveCounts(
                        events: count, members: state.members[member] == nil ? 0 : 1, goals: goals.count,
                        checkIns: checkIns.count, journal: journal.count))))
        // Exported for one member, the group record names nobody else (DOMAIN.md, privacy):
        // their own events still carry others' ids (the next turn a check-in began, a round's
        // summary, the other end of a private message), each replaced by one placeholder.
        var room = ArchiveRoom(state)
        if room.owner != member { room.owner = nil }
        try writer.write(.room(room))
        if let record = state.members[member] { try writer.write(.member(record)) }
        for goal in goals { try writer.write(.goal(goal)) }
        let others = Set(state.members.keys).union(state.owner.map { [$0] } ?? []).subtracting([member])
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        try RoomLog(store: store).forEachEvent(room: state.id, through: through) { event in
            guard own(event) else { return }
            var json = String(decoding: try encoder.encode(event), as: UTF8.self)
            for other in others where json.contains(other.rawValue) {
                // Bare, not quoted: an audience names ids inside a string ("member:u…+member:u…").
                json = json.replacingOccurrences(of: other.rawValue, with: Self.someoneElse.rawValue)
            }
            try writer.write(.event(try decoder.decode(Event.self, from: Data(json.utf8))))
        }
        for checkIn in checkIns { try writer.write(.checkIn(checkIn)) }
        for entry in journal { try writer.write(.journal(entry)) }
        return try writer.finish()
    }

    /// The common shape of session and room archives.
    private func write(
        to path: String, scope: ArchiveHeader.Scope, state: RoomState, session: Int?, firstSeq: Int64,
        lastSeq: Int64, eventCount: Int, checkIns: [ArchiveCheckIn], at now: Timestamp,
        events: (ArchiveWriter) throws -> Void
    ) throws -> ArchiveWriter.Summary {
        let members = state.memberOrder.compactMap { state.members[$0] }
        let goals = state.goals.values.sorted {
            (Int($0.id.rawValue.dropFirst()) ?? 0) < (Int($1.id.rawValue.dropFirst()) ?? 0)
        }
        let first = try store.event(room: state.id, seq: firstSeq)
        let last = try store.event(room: state.id, seq: lastSeq)
        let writer = try ArchiveWriter(path: path, level: level)
        try writer.write(
            .header(
                ArchiveHeader(
                    server: serverVersion, scope: scope, room: state.id, roomName: state.name, session: session,
                    firstSeq: firstSeq, lastSeq: lastSeq, from: first?.at, to: last?.at, createdAt: now,
                    counts: ArchiveCounts(
                        events: eventCount, members: members.count, goals: goals.count, checkIns: checkIns.count),
                    audit: try store.auditHead())))
        try writer.write(.room(ArchiveRoom(state)))
        for member in members { try writer.write(.member(member)) }
        for goal in goals { try writer.write(.goal(goal)) }
        try events(writer)
        for checkIn in checkIns { try writer.write(.checkIn(checkIn)) }
        return try writer.finish()
    }
}
