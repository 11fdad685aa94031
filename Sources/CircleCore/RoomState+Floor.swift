extension RoomState {
    /// Floor modes: who may speak in the open conversation, and how the floor moves.
    func decideFloor(_ command: RoomCommand, by caller: Caller, at now: Timestamp) throws(CircleError) -> Decision {
        let callerRole = role(of: caller.account) ?? .observer
        let body: EventBody
        switch command {
        case .setFloor(let mode, let seconds):
            if mode == .slow {
                guard let seconds, (1...3600).contains(seconds) else {
                    throw CircleError(.badField, "Slow mode needs a gap of 1 to 3600 seconds between messages.")
                }
            } else if seconds != nil {
                throw CircleError(.badField, "Only slow mode takes seconds.")
            }
            guard mode != floor.mode || mode == .slow else {
                throw CircleError(.badField, "The floor is already \(mode.rawValue).")
            }
            body = .floorModeSet(mode: mode, seconds: mode == .slow ? seconds : nil)

        case .raiseHand:
            guard floor.mode == .hands else {
                throw CircleError(.badField, "Hands are raised only when the floor is in raised-hands mode.")
            }
            guard !floor.hands.contains(caller.account) else {
                throw CircleError(.badField, "Your hand is already up.")
            }
            guard floor.currentHolder(at: now) != caller.account else {
                throw CircleError(.badField, "You have the floor now.")
            }
            body = .handRaised

        case .lowerHand(let member):
            guard member == caller.account || callerRole.isFacilitating else {
                throw CircleError(.forbidden, "You may lower only your own hand.")
            }
            guard floor.hands.contains(member) else {
                throw CircleError(.badField, "\(members[member]?.name ?? member.rawValue)'s hand is not up.")
            }
            body = .handLowered(member: member)

        case .giveFloor(let member, let seconds):
            body = try givenFloor(to: member, seconds: seconds, by: caller, role: callerRole, at: now)

        default:
            preconditionFailure("\(command.operation) is not a floor command")
        }
        return .append([event(body, by: caller, at: now)])
    }

    private func givenFloor(
        to member: AccountID?, seconds: Int64?, by caller: Caller, role callerRole: RoomRole, at now: Timestamp
    ) throws(CircleError) -> EventBody {
        switch floor.mode {
        case .hands:
            guard callerRole.isFacilitating else { throw CircleError(.forbidden, "Only facilitators give the floor.") }
        case .piece:
            guard callerRole.isFacilitating || floor.holder == caller.account else {
                throw CircleError(.forbidden, "Only the holder of the talking piece, or a facilitator, passes it on.")
            }
            guard seconds == nil else { throw CircleError(.badField, "The talking piece is not timed.") }
        case .open, .slow:
            // Who may is said before what is possible, so a participant hears the same in every mode.
            guard callerRole.isFacilitating else { throw CircleError(.forbidden, "Only facilitators give the floor.") }
            throw CircleError(.badField, "The floor is \(floor.mode.rawValue); give it in hands or piece mode.")
        }
        if let seconds, !(1...3600).contains(seconds) {
            throw CircleError(.badField, "A turn lasts 1 to 3600 seconds, or until the floor is passed on.")
        }
        if let member {
            guard let target = members[member], target.role.canSpeak else {
                throw CircleError(.noSuchMember, "\(members[member]?.name ?? member.rawValue) cannot take the floor.")
            }
        }
        return .floorGiven(member: member, until: member == nil ? nil : seconds.map { now.adding(seconds: $0) })
    }

    /// Refuses a participant who may not speak to the room now under its floor mode.
    func requireFloor(for caller: Caller, at now: Timestamp) throws(CircleError) {
        guard let role = role(of: caller.account), !role.isFacilitating else { return }
        switch floor.mode {
        case .open:
            return
        case .hands:
            guard floor.currentHolder(at: now) == caller.account else {
                throw CircleError(
                    .floorClosed, "The floor is in raised-hands mode: raise your hand and wait to be given the floor.")
            }
        case .piece:
            guard floor.holder == caller.account else {
                let holder = floor.holder.map { members[$0]?.name ?? $0.rawValue }
                throw CircleError(
                    .floorClosed,
                    "Only the holder of the talking piece speaks now" + (holder.map { " (\($0))." } ?? "."))
            }
        case .slow:
            guard let last = lastSpoke[caller.account] else { return }
            let next = last.adding(seconds: Int64(floor.slowSeconds))
            if now < next {
                let wait = (next.milliseconds - now.milliseconds + 999) / 1000
                throw CircleError(.slowMode, "Slow mode: you may speak again in \(wait) s.")
            }
        }
    }
}
