/// Figures as people read them in a chat line.
public enum RoomNumber {
    /// 12, or 12.5.
    public static func text(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }

    /// +1.5, -2, ±0.
    public static func signed(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        if tenths == 0 { return "±0" }
        return (tenths > 0 ? "+" : "") + text(tenths)
    }
}
