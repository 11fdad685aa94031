/// Durations as people write them: `90s`, `30m`, `12h`, `7d`, or plain seconds.
public enum DurationText {
    public static func seconds(_ text: String) -> Int64? {
        guard let last = text.last else { return nil }
        let unit: Int64
        var digits = Substring(text)
        switch last {
        case "s": unit = 1
        case "m": unit = 60
        case "h": unit = 3600
        case "d": unit = 86400
        case "w": unit = 7 * 86400
        default: unit = 1
        }
        if !last.isNumber { digits = digits.dropLast() }
        guard let value = Int64(digits), value > 0 else { return nil }
        let (result, overflow) = value.multipliedReportingOverflow(by: unit)
        return overflow ? nil : result
    }
}
