import CircleCore

/// A room driven by hand: a facilitator, a clock that moves only when told, and helpers that
/// execute commands the way the server does.
struct RoomFixture {
    static let owner = Caller(account: AccountID("u-dana"), kind: .facilitator)
    static let sam = Caller(account: AccountID("u-sam"), kind: .participant)
    static let kim = Caller(account: AccountID("u-kim"), kind: .participant)
    static let lee = Caller(account: AccountID("u-lee"), kind: .participant)
    static let invite = InviteID("i-1")

    var state = RoomState(id: RoomID("r-1"))
    var now = Timestamp(milliseconds: 1_700_000_000_000)
    var log: [Event] = []

    /// A created room with an invite for several people and, optionally, members and a session.
    static func ready(members: [Caller] = [], open: Bool = false) throws -> RoomFixture {
        var fixture = RoomFixture()
        try fixture.run(.create(name: "Tuesday group", ownerName: "Dana"), by: owner)
        try fixture.run(.createInvite(invite: invite, uses: 5, expiresAt: fixture.now.adding(seconds: 3600)), by: owner)
        for member in members {
            let name = member == sam ? "Sam" : member == kim ? "Kim" : "Lee"
            try fixture.run(.redeem(invite: invite, name: name), by: member)
            try fixture.run(.acceptAgreements(version: fixture.state.agreementsVersion), by: member)
        }
        if open { try fixture.run(.openSession, by: owner) }
        return fixture
    }

    @discardableResult
    mutating func run(_ command: RoomCommand, by caller: Caller) throws(CircleError) -> Decision {
        let decision = try state.execute(command, by: caller, at: now)
        if case .append(let events) = decision { log += events }
        return decision
    }

    /// The kinds of the events the last command appended, e.g. to check a transition.
    func kinds(since count: Int) -> [String] {
        log.dropFirst(count).map(\.body.kind)
    }

    /// The error a command is refused with, or nil if it was accepted.
    mutating func refusal(_ command: RoomCommand, by caller: Caller) -> ErrorCode? {
        let before = state
        do {
            try run(command, by: caller)
            return nil
        } catch {
            precondition(state == before, "a refused command changed the room")
            return error.code
        }
    }
}
