/// A moment in time as whole milliseconds since the Unix epoch.
///
/// Milliseconds rather than `Date` so that events encode identically on every platform and
/// the core needs no Foundation.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(milliseconds: milliseconds + seconds * 1000)
    }

    public var description: String { String(milliseconds) }

    public init(from decoder: any Decoder) throws {
        milliseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(milliseconds)
    }

    /// The UTC start of a `YYYY-MM` month and of the month after it.
    public static func month(_ text: String) -> (Timestamp, Timestamp)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1]), (1970...9999).contains(year), (1...12).contains(month)
        else { return nil }
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        return (startOf(year, month), startOf(next.0, next.1))
    }

    /// Days from the epoch to a civil date (Howard Hinnant's algorithm), as a timestamp.
    private static func startOf(_ year: Int, _ month: Int) -> Timestamp {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Timestamp(milliseconds: Int64(days) * 86_400_000)
    }
}
