/// A row of block characters for a series of scores: a trend that fits in a status line.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One block per value, scaled from `lowest` to `highest` (0-10 for goal progress).
    public static func of(_ values: [Int], lowest: Int = 0, highest: Int = 10) -> String {
        guard highest > lowest else { return "" }
        return String(
            values.map { value in
                let clamped = min(max(value, lowest), highest)
                let index = (clamped - lowest) * (blocks.count - 1) / (highest - lowest)
                return blocks[index]
            })
    }
}
