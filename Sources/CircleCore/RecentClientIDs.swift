/// The last few client message ids one member used, so a re-sent message is stored once.
///
/// Bounded because a client usually re-sends only what it sent just before a drop. For an id
/// older than these the store's unique index is the authority: the server asks it whenever
/// `hasForgotten` says a miss here proves nothing.
public struct RecentClientIDs: Hashable, Sendable, Codable {
    public static let capacity = 512

    private var seqByID: [String: Int64] = [:]
    private var order: [String] = []
    private var head = 0
    /// Whether an id was ever let go: until then, an id not here was never used.
    public private(set) var hasForgotten = false

    public init() {}

    public func seq(for clientID: String) -> Int64? {
        seqByID[clientID]
    }

    public mutating func remember(_ clientID: String, seq: Int64) {
        guard seqByID[clientID] == nil else { return }
        if order.count < Self.capacity {
            order.append(clientID)
        } else {
            seqByID[order[head]] = nil
            hasForgotten = true
            order[head] = clientID
            head = (head + 1) % Self.capacity
        }
        seqByID[clientID] = seq
    }
}
