/// A mute or a ban: until when (nil: until a facilitator lifts it), and the reason the member
/// was given.
public struct Sanction: Hashable, Sendable, Codable {
    public var until: Timestamp?
    public var reason: String

    public init(until: Timestamp?, reason: String) {
        self.until = until
        self.reason = reason
    }

    /// Whether it still holds at `now`; a timed one simply runs out.
    public func holds(at now: Timestamp) -> Bool {
        until.map { now < $0 } ?? true
    }

    /// "for another 12 min" or "until a facilitator lifts it", for refusals.
    public func remaining(at now: Timestamp) -> String {
        guard let until else { return "until a facilitator lifts it" }
        let minutes = max(1, (until.milliseconds - now.milliseconds + 59_999) / 60_000)
        return "for another \(minutes) min"
    }
}
