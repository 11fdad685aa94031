import CircleArchive
import CircleCore
import CircleProtocol
import CircleStore
import Logging
import NIOCore
import Synchronization

/// What every connection shares: the store, the rooms, the settings and the clock.
final class ServerContext: Sendable {
    let store: any Storage
    let rooms: RoomRegistry
    let configuration: ServerConfiguration
    let clock: any Clock
    let logger: Logger
    let archiver: Archiver
    /// Counters for the Prometheus endpoint; nil when it is off.
    let metrics: ServerMetrics?
    private let connections = Mutex<[ObjectIdentifier: Connection]>([:])
    /// One drainer per event loop, made on first use.
    private let drainers = Mutex<[ObjectIdentifier: LoopDrainer]>([:])
    /// Failed sign-ins per address.
    let signIns: SignInGuard
    /// Open connections per remote IP address.
    private let perIP = Mutex<[String: Int]>([:])
    /// Closed sessions waiting for `ArchivingService`, in the order they closed.
    let archiveJobs = AsyncStream.makeStream(of: ArchiveJob.self)

    /// One closed session to archive: the room's state as it closed.
    struct ArchiveJob: Sendable {
        let session: Int
        let state: RoomState
        let at: Timestamp
    }

    init(store: any Storage, configuration: ServerConfiguration, clock: any Clock, logger: Logger) throws {
        self.store = store
        signIns = SignInGuard(limit: configuration.failedSignInsPerAddress, seconds: configuration.failedSignInSeconds)
        let metrics = configuration.metrics == nil ? nil : ServerMetrics()
        self.metrics = metrics
        self.rooms = try RoomRegistry(store: store, configuration: configuration, clock: clock, metrics: metrics)
        store.committer.scopeCompletions { completions in LoopDrainer.gathering(completions) }
        if let metrics {
            store.committer.observe { metrics.commit($0) }
        }
        let rooms = rooms
        store.committer.onFault { fault in
            metrics?.commitFault(fault.kind)
            let names = fault.rooms.map(\.rawValue).sorted().joined(separator: ", ")
            switch fault.kind {
            case .request:
                logger.error(
                    """
                    a commit refused \(fault.refused) request(s) whose data could not be stored; \
                    rooms [\(names)] are read back from their logs: \(fault.cause)
                    """)
            case .diskFull:
                logger.error(
                    """
                    the disk is full: \(fault.refused) request(s) refused, nothing of them stored; \
                    writes resume when there is space: \(fault.cause)
                    """)
            case .busy:
                logger.error(
                    """
                    the database was busy past its timeout: \(fault.refused) request(s) refused; \
                    another process holds it: \(fault.cause)
                    """)
            case .fatal:
                logger.error(
                    "the store failed; every write is refused until the server restarts (fail-stop): \(fault.cause)")
            }
            guard fault.kind != .fatal else { return [] }
            var owed: [@Sendable () -> Void] = []
            for id in fault.rooms.sorted() {
                guard let outcome = rooms[id]?.resync() else { continue }
                owed += outcome.refusals
                if let failure = outcome.failure {
                    // Its type only: a decoding error can quote what a member wrote.
                    logger.error(
                        "room \(id) could not be read back from its log (\(type(of: failure))); writes are refused (fail-stop)"
                    )
                }
            }
            return owed
        }
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        archiver = Archiver(store: store, serverVersion: configuration.serverVersion)
    }

    /// Queues a closed session for `ArchivingService`, with the room as it is now.
    func archiveSession(_ session: Int, of room: RoomRuntime) {
        archiveJobs.continuation.yield(ArchiveJob(session: session, state: room.read { $0 }, at: clock.now()))
    }

    /// Archives one session and records it once verified; a failure is logged and retried at
    /// the next start (the session stays in the live database).
    func archive(_ job: ArchiveJob) async {
        let (archiver, room) = (archiver, job.state.id)
        do {
            let written = try await archiver.run { try archiver.archiveSession(job.session, of: job.state, at: job.at) }
            guard let entry = written else { return }
            let audit = AuditRecord(
                at: job.at, actor: nil, action: .archiveWritten, room: room, target: "session \(job.session)",
                detail: "\(entry.events) events, \(entry.bytes) bytes, sha256 \(entry.sha256.prefix(16))")
            store.committer.submit([.archive(entry), .audit(audit)]) { _ in }
        } catch {
            logger.error("archiving session \(job.session) of \(room) failed: \(error)")
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

    func drainer(for loop: any EventLoop) -> LoopDrainer {
        drainers.withLock { drainers in
            let key = ObjectIdentifier(loop)
            if let drainer = drainers[key] { return drainer }
            let drainer = LoopDrainer(loop: loop)
            drainers[key] = drainer
            return drainer
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

    /// The metrics page, with the gauges read now.
    func scrapeMetrics() -> [UInt8] {
        guard let metrics else { return [] }
        let rooms = rooms.all
        let open = rooms.reduce(0) { $0 + ($1.read { $0.openSession } == nil ? 0 : 1) }
        return metrics.scrape(
            connections: connections.withLock { $0.count }, rooms: rooms.count, openSessions: open)
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
                try store.committer.commitAndWait([.purge(entry, at: clock.now())])
                purged += 1
            }
        } catch {
            logger.error("retention stopped: \(error)")
        }
        return purged
    }

    /// Counts a new connection from `ip`; false if the address already holds its limit.
    func admit(_ ip: String) -> Bool {
        let limit = configuration.maxConnectionsPerIP
        return perIP.withLock { counts in
            guard limit == 0 || counts[ip, default: 0] < limit else { return false }
            counts[ip, default: 0] += 1
            return true
        }
    }

    func release(_ ip: String) {
        perIP.withLock { counts in
            counts[ip, default: 1] -= 1
            if counts[ip] == 0 { counts[ip] = nil }
        }
    }

    /// Closes every connection signed in with one of these tokens, at once.
    func cutOff(tokenHashes: Set<String>) {
        guard !tokenHashes.isEmpty else { return }
        let bye = Outbound.bye(CircleError(.tokenRevoked, "Your sign-in was revoked; sign in again."))
        for connection in openConnections where connection.tokenHash.map(tokenHashes.contains) == true {
            connection.closeAfter(bye)
        }
    }
}
