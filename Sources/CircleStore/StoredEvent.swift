import CircleCore
import Foundation

/// An event as read back from the log: its position and its JSON exactly as stored, so it can
/// be sent without being decoded and encoded again.
public struct StoredEvent: Hashable, Sendable {
    public var seq: Int64
    public var json: Data

    public init(seq: Int64, json: Data) {
        self.seq = seq
        self.json = json
    }

    public func decoded() throws -> Event {
        try JSONDecoder().decode(Event.self, from: json)
    }
}
