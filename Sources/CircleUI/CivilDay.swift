import CircleCore

/// The calendar day of a moment at a fixed offset from UTC, with no Foundation: what an
/// expiry date or a day's separator names ("Thu 10 Dec 2026").
public struct CivilDay: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    /// 0 for Sunday.
    public var weekday: Int

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// Howard Hinnant's days-to-civil algorithm.
    public init(_ time: Timestamp, utcOffset: Int) {
        let seconds = time.milliseconds / 1000 + Int64(utcOffset)
        let days = Int((seconds - ((seconds % 86400) + 86400) % 86400) / 86400)
        weekday = ((days % 7) + 11) % 7
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The time of day, "09:05".
    public static func clock(_ time: Timestamp, utcOffset: Int) -> String {
        let seconds = time.milliseconds / 1000 + Int64(utcOffset)
        let minutes = ((seconds % 86400 + 86400) % 86400) / 60
        func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return twoDigits(minutes / 60) + ":" + twoDigits(minutes % 60)
    }

    /// "Thu 10 Dec 2026 09:05".
    public static func moment(_ time: Timestamp, utcOffset: Int) -> String {
        CivilDay(time, utcOffset: utcOffset).text + " " + clock(time, utcOffset: utcOffset)
    }

    /// "Thu 10 Dec 2026".
    public var text: String {
        "\(Self.weekdays[weekday]) \(day) \(Self.months[month - 1]) \(year)"
    }
}
