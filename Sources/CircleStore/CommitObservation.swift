/// What one group commit did, for metrics: how long its transaction took, and how long each
/// request it carried waited, from being queued until it was durable.
public struct CommitObservation: Sendable {
    /// Nanoseconds the transaction took, from its start to its sync.
    public var nanoseconds: Int64
    /// Per request, in submission order: nanoseconds from `submit` to the end of the commit.
    /// A request's acknowledgement can leave no sooner; the time behind the commit before it
    /// is what the commit's own duration does not show.
    public var waits: [Int64]

    /// How many requests the commit carried.
    public var entries: Int { waits.count }

    public init(nanoseconds: Int64, waits: [Int64]) {
        self.nanoseconds = nanoseconds
        self.waits = waits
    }
}
