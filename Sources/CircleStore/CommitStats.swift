/// Counters of the group commit, for benchmarks and metrics.
public struct CommitStats: Hashable, Sendable {
    public var commits = 0
    public var entries = 0
    public var largestBatch = 0
    public var failures = 0

    public init() {}
}
