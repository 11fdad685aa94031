/// The source of "now" for the core and the server, sleeping included: injected so that tests
/// drive time by hand and no test waits on the wall clock.
public protocol Clock: Sendable {
    func now() -> Timestamp
    /// Returns once `deadline` has come (at once if it has passed); throws `CancellationError`
    /// when the sleeping task is cancelled.
    func sleep(until deadline: Timestamp) async throws
}

extension Clock {
    /// Sleeps `seconds` from now on this clock.
    public func sleep(seconds: Int64) async throws {
        try await sleep(until: now().adding(seconds: seconds))
    }
}
