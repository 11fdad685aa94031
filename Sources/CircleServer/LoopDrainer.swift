import NIOCore
import Synchronization

/// The connections of one event loop with frames waiting, drained together in one task on the
/// loop. A commit's fan-out reaches every member of its rooms at once; one trip to each loop
/// (and at most one wake-up of it) instead of one per connection is what keeps that cheap.
final class LoopDrainer: Sendable {
    let loop: any EventLoop
    private let waiting = Mutex<(connections: [LineTransport], scheduled: Bool)>(([], false))

    init(loop: any EventLoop) {
        self.loop = loop
    }

    /// Queues a connection whose outbox just became non-empty.
    func add(_ connection: LineTransport) {
        let schedule = waiting.withLock { waiting in
            waiting.connections.append(connection)
            defer { waiting.scheduled = true }
            return !waiting.scheduled
        }
        guard schedule else { return }
        if let batch = Self.batch {
            batch.drainers.withLock { $0.append(self) }
        } else {
            start()
        }
    }

    /// Set while a group commit's completions run: drains wait until all of them have queued
    /// their frames, so a connection gets a commit's events and replies in one write.
    @TaskLocal private static var batch: Batch?

    private final class Batch: Sendable {
        let drainers = Mutex<[LoopDrainer]>([])
    }

    /// Runs `body` (a commit's completions) and then starts the drains it asked for.
    static func gathering(_ body: () -> Void) {
        let batch = Batch()
        $batch.withValue(batch) { body() }
        for drainer in batch.drainers.withLock({ $0 }) { drainer.start() }
    }

    private func start() {
        loop.execute { [self] in
            let connections = waiting.withLock { waiting in
                defer {
                    waiting.connections.removeAll(keepingCapacity: true)
                    waiting.scheduled = false
                }
                return waiting.connections
            }
            for connection in connections { connection.drain() }
        }
    }
}
