import CircleCore
import CircleStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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
    /// Addresses counted at once: past it the oldest interval is summed up and let go, so a
    /// guesser cycling through addresses cannot grow the table without end.
    static let maxAddresses = 10_000

    init(limit: Int, seconds: Int) {
        self.limit = limit
        self.seconds = seconds
    }

    /// Seconds until `address` may try again, or nil when it may now. Addresses exempt from
    /// per-address limits (loopback, by default) come as nil and are never refused.
    func retryAfter(_ address: String?, at now: Timestamp) -> Int? {
        guard let address = address.map(Self.key), limit > 0 else { return nil }
        return intervals.withLock { intervals in
            guard let interval = intervals[address], interval.failures >= limit else { return nil }
            let left = interval.start.adding(seconds: Int64(seconds)).milliseconds - now.milliseconds
            return left > 0 ? Int((left + 999) / 1000) : nil
        }
    }

    /// Counts a failure; returns what the audit trail should get now: the failure itself when
    /// it opens an interval, and the summary of any interval that has ended.
    func failed(_ address: String?, reason: String, at now: Timestamp) -> [AuditRecord] {
        let key = address.map(Self.key) ?? "local"
        return intervals.withLock { intervals in
            var records = Self.ended(&intervals, at: now, seconds: seconds)
            if intervals[key] == nil, intervals.count >= Self.maxAddresses,
                let oldest = intervals.min(by: { $0.value.start < $1.value.start })
            {
                intervals[oldest.key] = nil
                if oldest.value.failures > 1 {
                    records.append(Self.summary(of: oldest.value, from: oldest.key, at: now))
                }
            }
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
            records.append(summary(of: interval, from: address, at: now))
        }
        return records.sorted { $0.target ?? "" < $1.target ?? "" }
    }

    private static func summary(of interval: Interval, from address: String, at now: Timestamp) -> AuditRecord {
        AuditRecord(
            at: now, actor: nil, action: .loginFailed, target: address,
            detail: "\(interval.failures - 1) more failed sign-ins in the interval that began at "
                + "\(interval.start.milliseconds) ms")
    }

    /// What an address is counted as: itself for IPv4, its /64 for IPv6, where one host is
    /// given a whole /64 and could otherwise make each guess from a new address.
    static func key(_ address: String) -> String {
        guard address.contains(":") else { return address }
        var bytes = [UInt8](repeating: 0, count: 16)
        guard inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        let groups = stride(from: 0, to: 8, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        return groups.joined(separator: ":") + "::/64"
    }
}
