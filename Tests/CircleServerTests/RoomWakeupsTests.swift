import CircleCore
import CircleTestSupport
import Synchronization
import Testing

@testable import CircleServer

/// One sleeper on the injected clock wakes every room at its own deadline.
@Suite struct RoomWakeupsTests {
    @Test func eachRoomIsWokenAtItsLatestDeadlineAndAClearedOneNever() async throws {
        let clock = ManualClock()
        let wakeups = RoomWakeups()
        let woken = Mutex<[RoomID]>([])
        let running = Task { await wakeups.run(clock: clock) { room in woken.withLock { $0.append(room) } } }
        let start = clock.now()
        wakeups.set(RoomID("later"), at: start.adding(seconds: 30))
        wakeups.set(RoomID("later"), at: start.adding(seconds: 10))
        wakeups.set(RoomID("sooner"), at: start.adding(seconds: 5))
        wakeups.set(RoomID("cleared"), at: start.adding(seconds: 1))
        wakeups.set(RoomID("cleared"), at: nil)

        try await clock.untilSomeoneSleeps(until: start.adding(seconds: 5))
        clock.advance(by: 5_000)
        try await clock.untilSomeoneSleeps(until: start.adding(seconds: 10))
        #expect(woken.withLock { $0 } == [RoomID("sooner")])
        clock.advance(by: 5_000)
        try await waitFor { woken.withLock { $0.count } == 2 }
        #expect(woken.withLock { $0 } == [RoomID("sooner"), RoomID("later")])
        #expect(wakeups.deadline(of: RoomID("later")) == nil)

        // Past the old 30 s deadline nothing more wakes: it was replaced.
        clock.advance(by: 60_000)
        #expect(woken.withLock { $0.count } == 2)
        running.cancel()
        await running.value
    }

    private func waitFor(_ condition: () -> Bool) async throws {
        let giveUp = ContinuousClock.now + .seconds(5)
        while !condition() {
            guard ContinuousClock.now < giveUp else { throw TestClient.TimedOut() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
