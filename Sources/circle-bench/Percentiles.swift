/// Percentiles of latencies in nanoseconds, printed in milliseconds.
struct Percentiles {
    private var sorted: [UInt64]

    init(_ values: [UInt64]) {
        sorted = values.sorted()
    }

    func milliseconds(_ fraction: Double) -> String {
        guard !sorted.isEmpty else { return "-" }
        let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
        return String(format: "%.2f ms", Double(value) / 1_000_000)
    }

    var summary: String {
        "p50 \(milliseconds(0.5)), p95 \(milliseconds(0.95)), p99 \(milliseconds(0.99)), max \(milliseconds(1.0))"
    }
}
