/// The last few client message ids one member used, so a re-sent message is stored once.
///
/// Bounded because a client only re-sends what it sent just before a drop; the store's unique
/// index backs it up for anything older.
public struct RecentClientIDs: Hashable, Sendable {
    public static let capacity = 512

    private var seqByID: [String: Int64] = [:]
    private var order: [String] = []
    private var head = 0

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
            order[head] = clientID
            head = (head + 1) % Self.capacity
        }
        seqByID[clientID] = seq
    }
}
