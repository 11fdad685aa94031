import CircleCore
import ServiceLifecycle
import Synchronization

/// Every room's next wake-up (a round's deadline to warn or move on, a timed ban's end), in one
/// table that one service sleeps on, on the injected clock: no task per room, and nothing to
/// cancel by hand at shutdown.
final class RoomWakeups: Sendable {
    private struct State {
        var due: [RoomID: Timestamp] = [:]
        /// Whether the earliest deadline may have moved since the service last looked.
        var changed = false
        /// The service, waiting for a change while it has no deadline to sleep until.
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Sets (or, with nil, clears) when `room` is to be woken next; replaces its earlier one.
    func set(_ room: RoomID, at deadline: Timestamp?) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            let earliest = state.due.values.min()
            state.due[room] = deadline
            guard state.due.values.min() != earliest else { return nil }
            state.changed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// When `room` is to be woken next; nil for never.
    func deadline(of room: RoomID) -> Timestamp? {
        state.withLock { $0.due[room] }
    }

    /// Sleeps until the earliest deadline or a change to it, and wakes the rooms whose time
    /// has come, until the task is cancelled.
    func run(clock: any Clock, wake: @Sendable (RoomID) -> Void) async {
        while !Task.isCancelled {
            let earliest = state.withLock { state in
                state.changed = false
                return state.due.values.min()
            }
            await withTaskGroup(of: Void.self) { group in
                if let earliest { group.addTask { try? await clock.sleep(until: earliest) } }
                group.addTask { await self.untilChanged() }
                await group.next()
                group.cancelAll()
            }
            let now = clock.now()
            let due = state.withLock { state in
                let due = state.due.filter { $0.value <= now }.map(\.key)
                for room in due { state.due[room] = nil }
                return due
            }
            for room in due { wake(room) }
        }
    }

    private func untilChanged() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    guard !state.changed, !Task.isCancelled else { return true }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }?.resume()
        }
    }
}

/// The rooms' wake-ups as a service in the server's `ServiceGroup`: stopped with the others
/// at a graceful shutdown, before the listener says goodbye.
struct RoomWakeupService: Service {
    let context: ServerContext

    func run() async throws {
        let rooms = context.rooms
        await cancelWhenGracefulShutdown { [clock = context.clock] in
            await rooms.wakeups.run(clock: clock) { rooms[$0]?.wake() }
        }
    }
}
