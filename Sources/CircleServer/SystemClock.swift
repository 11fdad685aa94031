import CircleCore
import Foundation

/// The wall clock, for production; tests inject their own `Clock`.
public struct SystemClock: Clock {
    public init() {}

    public func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    public func sleep(until deadline: Timestamp) async throws {
        let delay = deadline.milliseconds - now().milliseconds
        if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
        try Task.checkCancellation()
    }
}
