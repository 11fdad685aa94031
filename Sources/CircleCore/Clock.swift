/// The source of "now" for the core: injected so that tests drive time by hand.
public protocol Clock: Sendable {
    func now() -> Timestamp
}
