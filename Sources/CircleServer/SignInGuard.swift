import CircleCore
import CircleStore
import Synchronization

/// Failed sign-ins (unknown tokens, wrong invite codes) per address: a guesser is slowed by
/// address, not only by connection, since opening new connections is free. The audit trail
/// gets one entry for the first failure of each address's interval and one summary of the
/// rest, rather than one fsynced row per guess, which let a guesser make the disk work for it.
final class SignInGuard: Sendable {
    struct Interval {
        var start: Timestamp
        var failures: Int
    }

    /// Failures one address may make per interval; past that, sign-ins from it are refused
    /// until the interval ends, before any token or code is looked at.
    let limit: Int
    let seconds: Int
    private let intervals = Mutex<[String: Interval]>([:])

    init(limit: Int, seconds: Int) {
        self.limit = limit
        self.seconds = seconds
    }

    /// Seconds until `address` may try again, or nil when it may now. Addresses exempt from
    /// per-address limits (loopback, by default) come as nil and are never refused.
    func retryAfter(_ address: String?, at now: Timestamp) -> Int? {
        guard let address, limit > 0 else { return nil }
        return intervals.withLock { intervals in
            guard let interval = intervals[address], interval.failures >= limit else { return nil }
            let left = interval.start.adding(seconds: Int64(seconds)).milliseconds - now.milliseconds
            return left > 0 ? Int((left + 999) / 1000) : nil
        }
    }

    /// Counts a failure; returns what the audit trail should get now: the failure itself when
    /// it opens an interval, and the summary of any interval that has ended.
    func failed(_ address: String?, reason: String, at now: Timestamp) -> [AuditRecord] {
        let key = address ?? "local"
        return intervals.withLock { intervals in
            var records = Self.ended(&intervals, at: now, seconds: seconds)
            if intervals[key] == nil {
                intervals[key] = Interval(start: now, failures: 1)
                records.append(
                    AuditRecord(at: now, actor: nil, action: .loginFailed, target: key, detail: reason))
            } else {
                intervals[key]?.failures += 1
            }
            return records
        }
    }

    /// The summaries of every interval still counting (at shutdown).
    func flush(at now: Timestamp) -> [AuditRecord] {
        intervals.withLock { intervals in Self.ended(&intervals, at: now, seconds: -1) }
    }

    /// Takes out the intervals that have ended and returns a summary of each that counted
    /// more than the failure already audited.
    private static func ended(_ intervals: inout [String: Interval], at now: Timestamp, seconds: Int) -> [AuditRecord] {
        var records: [AuditRecord] = []
        for (address, interval) in intervals where interval.start.adding(seconds: Int64(seconds)) <= now {
            intervals[address] = nil
            guard interval.failures > 1 else { continue }
            records.append(
                AuditRecord(
                    at: now, actor: nil, action: .loginFailed, target: address,
                    detail: "\(interval.failures - 1) more failed sign-ins in the interval that began at "
                        + "\(interval.start.milliseconds) ms"))
        }
        return records.sorted { $0.target ?? "" < $1.target ?? "" }
    }
}
