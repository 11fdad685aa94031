import CircleCore
import CircleTestSupport
import Testing

/// The clock tests move by hand: sleepers wake when it passes their deadline, and a cancelled
/// sleeper stops at once.
@Suite struct ManualClockTests {
    @Test func aSleeperWakesWhenTheClockPassesItsDeadline() async throws {
        let clock = ManualClock(now: Timestamp(milliseconds: 0))
        let woke = Task { try await clock.sleep(until: Timestamp(milliseconds: 1000)) }
        try await clock.untilSomeoneSleeps()
        clock.advance(by: 999)
        #expect(clock.sleeping == 1)
        clock.advance(by: 1)
        try await woke.value
        #expect(clock.sleeping == 0 && clock.now() == Timestamp(milliseconds: 1000))
        // A deadline already past returns at once.
        try await clock.sleep(until: Timestamp(milliseconds: 500))
    }

    @Test func aCancelledSleeperStopsAtOnce() async throws {
        let clock = ManualClock(now: Timestamp(milliseconds: 0))
        let sleeper = Task { try await clock.sleep(until: Timestamp(milliseconds: 60_000)) }
        try await clock.untilSomeoneSleeps()
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeping == 0)
    }
}
