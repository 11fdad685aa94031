import CircleCore
import Synchronization

/// A clock that moves only when a test says so: `advance(by:)` wakes every sleeper whose
/// deadline has come, so a timed rule is tested without waiting on the wall clock.
public final class ManualClock: Clock {
    private struct Sleeper {
        let id: Int
        let deadline: Timestamp
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Timestamp
        var sleepers: [Sleeper] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    public init(now: Timestamp = Timestamp(milliseconds: 1_800_000_000_000)) {
        state = Mutex(State(now: now))
    }

    public func now() -> Timestamp {
        state.withLock { $0.now }
    }

    /// How many are sleeping now: a test waits for the sleeper it expects before advancing.
    public var sleeping: Int {
        state.withLock { $0.sleepers.count }
    }

    /// Returns once something sleeps on the clock (a timer started elsewhere), so that
    /// advancing it then wakes that sleeper; throws after 5 s of waiting for one.
    public func untilSomeoneSleeps() async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while sleeping == 0 {
            guard ContinuousClock.now < deadline else { throw NobodySleeps() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Returns once at least `count` sleep on the clock: after an advance, that every timer
    /// it woke has done its work and gone back to sleep. Throws after 5 s of waiting.
    public func untilAsleep(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while sleeping < count {
            guard ContinuousClock.now < deadline else { throw NobodySleeps() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Returns once someone sleeps until exactly `deadline`: a timer that moved its deadline
    /// has gone back to sleep on the new one. Throws after 5 s of waiting.
    public func untilSomeoneSleeps(until deadline: Timestamp) async throws {
        let giveUp = ContinuousClock.now + .seconds(5)
        while !state.withLock({ $0.sleepers.contains { $0.deadline == deadline } }) {
            guard ContinuousClock.now < giveUp else { throw NobodySleeps() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Nothing went to sleep on the clock in time.
    public struct NobodySleeps: Error {}

    public func sleep(until deadline: Timestamp) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready: Bool = state.withLock { state in
                    guard deadline > state.now, !Task.isCancelled else { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Moves time on and wakes whoever's deadline has come, earliest first.
    public func advance(by milliseconds: Int64) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = Timestamp(milliseconds: state.now.milliseconds + milliseconds)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
