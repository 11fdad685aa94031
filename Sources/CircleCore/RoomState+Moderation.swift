extension RoomState {
    /// The facilitators' commands that act on members, messages and the room's settings.
    func decideModeration(_ command: RoomCommand, by caller: Caller, at now: Timestamp) throws(CircleError)
        -> Decision
    {
        let body: EventBody
        var audience = Audience.room
        switch command {
        case .setRole(let member, let role):
            guard let target = members[member] else {
                throw CircleError(.noSuchMember, "There is no member \(member) in \(name).")
            }
            guard member != owner else { throw CircleError(.forbidden, "The room's facilitator keeps that role.") }
            guard role != .facilitator else {
                throw CircleError(
                    .badField, "A room has one facilitator; choose co-facilitator, participant or observer.")
            }
            guard target.role != role else {
                throw CircleError(.badField, "\(target.name) is already \(role.rawValue).")
            }
            body = .memberRoleChanged(member: member, role: role)

        case .kick(let member, let reason):
            try requireModeratable(member, action: "sent out")
            body = .memberKicked(member: member, reason: try TextRules.message(reason).get())

        case .ban(let member, let seconds, let reason):
            try requireModeratable(member, action: "banned")
            if let seconds, !(1...(365 * 24 * 3600)).contains(seconds) {
                throw CircleError(.badField, "A ban lasts 1 second to 365 days, or until lifted.")
            }
            body = .memberBanned(
                member: member, until: seconds.map { now.adding(seconds: $0) },
                reason: try TextRules.message(reason).get())

        case .unban(let member):
            guard isBanned(member, at: now) else {
                throw CircleError(.badField, "\(members[member]?.name ?? member.rawValue) is not banned.")
            }
            body = .memberUnbanned(member: member)

        case .removeMessage(let seq, let author, let original, let reason):
            guard seq >= 1, seq <= lastSeq else { throw CircleError(.noSuchMessage, "There is no message #\(seq).") }
            guard !removedMessages.contains(seq) else {
                throw CircleError(.badField, "Message #\(seq) has already been removed.")
            }
            // The removal reaches exactly who could read the message.
            audience = original
            body = .messageRemoved(message: seq, author: author, reason: try TextRules.message(reason).get())

        case .lock, .unlock:
            let lock = command == .lock
            guard locked != lock else {
                throw CircleError(.badField, "\(name) is already \(lock ? "locked" : "unlocked").")
            }
            body = .roomLocked(lock)

        case .setTopic(let text):
            body = .topicSet(
                text: try TextRules.line(text, field: "topic", max: TextRules.maxTopicLength, allowEmpty: true).get())

        case .allowDirectMessages(let allowed):
            guard directMessagesAllowed != allowed else {
                throw CircleError(.badField, "Direct messages are already \(allowed ? "allowed" : "off").")
            }
            body = .directMessagesSet(allowed: allowed)

        case .noteSideRoom(let room, let member):
            try requireModeratable(member, action: "taken to a side room")
            audience = .facilitatorsAnd(member)
            body = .sideRoomOpened(room: room, member: member)

        default:
            preconditionFailure("\(command.operation) is not a moderation command")
        }
        return .append([event(body, by: caller, at: now, audience: audience)])
    }

    /// A private message: to the facilitators (always possible), or to one member (a
    /// facilitator writing to a member, or a member when the room allows direct messages).
    func decidePrivate(
        to recipient: AccountID?, text: String, clientID: String?, by caller: Caller, at now: Timestamp,
        safety: SafetySettings
    ) throws(CircleError) -> Decision {
        if let clientID, let seq = clientIDs[caller.account]?.seq(for: clientID) {
            return .duplicate(of: seq)
        }
        let callerRole = role(of: caller.account) ?? .observer
        let audience: Audience
        if let recipient, recipient != caller.account {
            guard let target = members[recipient] else {
                throw CircleError(.noSuchMember, "There is no member \(recipient) in \(name).")
            }
            if callerRole.isFacilitating {
                audience = .facilitatorsAnd(recipient)
            } else if target.role.isFacilitating {
                audience = .facilitatorsAnd(caller.account)
            } else {
                guard directMessagesAllowed else {
                    throw CircleError(
                        .directMessagesOff,
                        "Direct messages between members are off in \(name); you can always write to the facilitators.")
                }
                guard callerRole.canSpeak, target.role.canSpeak else {
                    throw CircleError(.forbidden, "Observers only write to the facilitators.")
                }
                try requireMaySpeak(caller, at: now)
                audience = .pair(caller.account, recipient)
            }
        } else if recipient == caller.account {
            throw CircleError(.badField, "Write to another member or to the facilitators, not to yourself.")
        } else {
            // Writing to the facilitators is never held back by a mute, the agreements or the floor.
            audience = callerRole.isFacilitating ? .facilitators : .facilitatorsAnd(caller.account)
        }
        return try spoken(text, clientID: clientID, audience: audience, by: caller, at: now, safety: safety)
    }
}
