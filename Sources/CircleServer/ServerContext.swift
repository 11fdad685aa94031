import CircleArchive
import CircleCore
import CircleStore
import Logging
import Synchronization

/// What every connection shares: the store, the rooms, the settings and the clock.
final class ServerContext: Sendable {
    let store: Store
    let rooms: RoomRegistry
    let configuration: ServerConfiguration
    let clock: any Clock
    let logger: Logger
    let archiver: Archiver
    private let connections = Mutex<[ObjectIdentifier: Connection]>([:])

    init(store: Store, configuration: ServerConfiguration, clock: any Clock, logger: Logger) throws {
        self.store = store
        self.rooms = try RoomRegistry(store: store, configuration: configuration, clock: clock)
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        archiver = Archiver(store: store, serverVersion: configuration.serverVersion)
    }

    /// Archives a closed session in the background and records it once verified; a failure is
    /// logged and retried at the next start (the session stays in the live database).
    func archiveSession(_ session: Int, of room: RoomRuntime) {
        let state = room.read { $0 }
        let now = clock.now()
        let (archiver, committer, logger) = (archiver, store.committer, logger)
        Task {
            do {
                guard let entry = try await archiver.run({ try archiver.archiveSession(session, of: state, at: now) })
                else { return }
                let audit = AuditRecord(
                    at: now, actor: nil, action: .archiveWritten, room: room.id, target: "session \(session)",
                    detail: "\(entry.events) events, \(entry.bytes) bytes, sha256 \(entry.sha256.prefix(16))")
                committer.submit([.archive(entry), .audit(audit)]) { _ in }
            } catch {
                logger.error("archiving session \(session) of \(room.id) failed: \(error)")
            }
        }
    }

    /// At start: archives closed sessions that have none yet (written by an older server, or
    /// interrupted by a stop).
    func archiveMissingSessions() {
        for room in rooms.all {
            let (closed, id) = room.read { ($0.openSession == nil ? $0.sessionCount : $0.sessionCount - 1, $0.id) }
            guard closed > 0 else { continue }
            for session in 1...closed where (try? store.archiveEntry(room: id, session: session)) == nil {
                archiveSession(session, of: room)
            }
        }
    }

    func register(_ connection: Connection) {
        connections.withLock { $0[ObjectIdentifier(connection)] = connection }
    }

    func unregister(_ connection: Connection) {
        connections.withLock { $0[ObjectIdentifier(connection)] = nil }
    }

    var openConnections: [Connection] {
        connections.withLock { Array($0.values) }
    }

    /// Purges, every `retentionInterval` seconds, the events of closed sessions older than
    /// `retentionDays` whose archive verifies again now; never a room under legal hold.
    func startRetention() -> Task<Void, Never>? {
        guard let days = configuration.retentionDays else { return nil }
        let interval = configuration.retentionInterval
        return Task { [self] in
            while !Task.isCancelled {
                _ = try? await archiver.run { [self] in self.purgeExpired(days: days) }
                try? await Task.sleep(for: .seconds(interval))
            }
        }
    }

    /// One pass of retention; returns how many sessions were purged.
    @discardableResult
    func purgeExpired(days: Int) -> Int {
        let cutoff = clock.now().adding(seconds: -Int64(days) * 86400)
        var purged = 0
        do {
            for entry in try store.purgeCandidates(closedBefore: cutoff) {
                // The archive must still be there and whole, and be the one recorded.
                let result = try ArchiveReader.read(path: store.folder + "/" + entry.file, depth: .structure)
                guard result.trailer.sha256 == entry.sha256, result.header.counts.events == entry.events else {
                    logger.error("not purging session \(entry.session) of \(entry.room): its archive changed")
                    continue
                }
                try store.purge(entry, at: clock.now())
                purged += 1
            }
        } catch {
            logger.error("retention stopped: \(error)")
        }
        return purged
    }
}
