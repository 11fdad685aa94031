/// The state of the room's floor: its mode and, depending on it, the raised hands, who holds
/// the floor or the talking piece, and the pace of slow mode.
public struct Floor: Hashable, Sendable, Codable {
    public var mode: FloorMode = .open
    /// Slow mode's gap between one member's messages.
    public var slowSeconds: Int = 0
    /// Raised hands in the order they went up.
    public var hands: [AccountID] = []
    /// Who was given the floor (hands) or holds the piece (piece).
    public var holder: AccountID?
    /// When a timed turn ends and the floor returns; nil for an untimed one.
    public var holderUntil: Timestamp?

    public init() {}

    /// The holder, if their turn has not run out at `now`.
    public func currentHolder(at now: Timestamp) -> AccountID? {
        guard let holder else { return nil }
        if let holderUntil, now >= holderUntil { return nil }
        return holder
    }

    /// The floor's part of the room's fold: the one place an event changes the floor, used by
    /// the server's `RoomState` and by a client's view of the room alike.
    public mutating func apply(_ event: Event) {
        switch event.body {
        case .floorModeSet(let mode, let seconds):
            self = Floor()
            self.mode = mode
            slowSeconds = seconds ?? 0
        case .handRaised:
            if let actor = event.actor { hands.append(actor) }
        case .handLowered(let member):
            hands.removeAll { $0 == member }
        case .floorGiven(let member, let until):
            if let member { hands.removeAll { $0 == member } }
            holder = member
            holderUntil = until
        case .memberKicked(let member, _), .memberBanned(let member, _, _):
            forget(member)
        case .memberRoleChanged(let member, let role) where !role.canSpeak:
            forget(member)
        default:
            break
        }
    }

    mutating func forget(_ member: AccountID) {
        hands.removeAll { $0 == member }
        if holder == member {
            holder = nil
            holderUntil = nil
        }
    }
}
