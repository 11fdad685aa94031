extension RoomState {
    /// Decides what a command does to this room, without changing it. Every command is checked
    /// against the command table first.
    public func decide(
        _ command: RoomCommand, by caller: Caller, at now: Timestamp, site: SiteRules = .standard
    ) throws(CircleError) -> Decision {
        let (safety, instruments) = (site.safety, site.instruments)
        if case .create(let name, let ownerName) = command {
            guard !exists, lastSeq == 0 else { throw CircleError(.internalError, "Room \(id) already exists.") }
            try CommandTable.authorize(.roomCreate, account: caller.kind, roomRole: nil).get()
            let name = try TextRules.roomName(name).get()
            let ownerName = try TextRules.displayName(ownerName).get()
            return .append(
                numbered([
                    event(.roomCreated(name: name, ownerName: ownerName), by: caller, at: now),
                    event(.agreementsSet(version: 1, text: Agreements.defaultText), by: caller, at: now),
                ]))
        }
        if case .createSide(let parent, let name, let ownerName, let member, let memberName) = command {
            // Authorized in the parent room, where the facilitator asked for it.
            guard !exists, lastSeq == 0 else { throw CircleError(.internalError, "Room \(id) already exists.") }
            let name = try TextRules.roomName(name).get()
            // A side room is for talking now: its one session opens with it.
            var opened = event(.sessionOpened(number: 1), by: caller, at: now)
            opened.session = 1
            return .append(
                numbered([
                    event(.roomCreated(name: name, ownerName: ownerName), by: caller, at: now),
                    event(.sideRoomCreated(parent: parent, member: member, name: memberName), by: caller, at: now),
                    opened,
                ]))
        }
        guard exists else { throw CircleError(.noSuchRoom, "There is no room \(id).") }
        switch command {
        case .tick, .arrive, .away: return decideHousekeeping(command, by: caller, at: now)
        default: break
        }
        try CommandTable.authorize(command.operation, account: caller.kind, roomRole: role(of: caller.account)).get()
        if let ban = activeBan(of: caller.account, at: now) {
            throw CircleError(.banned, "You are banned from \(name) \(ban.remaining(at: now)). \(ban.reason)")
        }

        switch command {
        case .create, .createSide, .tick, .arrive, .away:
            preconditionFailure("handled above")
        case .setGoal, .reviseGoal, .setGoalStatus, .addSharedGoal, .decideSharedGoal, .configure:
            return try decideGoals(command, by: caller, at: now)
        case .startRound, .passTurn, .checkIn, .skipTurn, .extendTurn, .closeRound, .setAttendance:
            return try decideRound(command, by: caller, at: now, instruments: instruments)
        case .setRole, .kick, .ban, .unban, .removeMessage, .lock, .unlock, .setTopic, .allowDirectMessages,
            .noteSideRoom:
            return try decideModeration(command, by: caller, at: now)
        case .setFloor, .raiseHand, .lowerHand, .giveFloor:
            return try decideFloor(command, by: caller, at: now)
        case .sayPrivately(let recipient, let text, let clientID):
            return try decidePrivate(to: recipient, text: text, clientID: clientID, by: caller, at: now, safety: safety)
        case .createInvite(let invite, let uses, let expiresAt, let role):
            guard (1...1000).contains(uses) else {
                throw CircleError(.badField, "An invite may be used 1 to 1000 times; \(uses) was asked.")
            }
            if let expiresAt, expiresAt <= now {
                throw CircleError(.badField, "An invite must expire in the future.")
            }
            guard role != .facilitator else {
                throw CircleError(.badField, "An invite admits a participant, an observer or a co-facilitator.")
            }
            if role == .coFacilitator, self.role(of: caller.account) != .facilitator {
                throw CircleError(.forbidden, "Only the room's facilitator may invite a co-facilitator.")
            }
            guard invites[invite] == nil else { throw CircleError(.internalError, "Invite \(invite) already exists.") }
            return .append([
                event(
                    .inviteCreated(invite: invite, uses: uses, expiresAt: expiresAt, role: role), by: caller, at: now,
                    audience: .facilitators)
            ])

        case .redeem(let inviteID, let rawName):
            guard let invite = invites[inviteID] else {
                throw CircleError(.badInvite, "That invite code is not valid.")
            }
            if let expiresAt = invite.expiresAt, expiresAt <= now {
                throw CircleError(.inviteExpired, "That invite code has expired; ask your facilitator for a new one.")
            }
            guard invite.used < invite.uses else {
                throw CircleError(
                    .inviteUsedUp, "That invite code has been used up; ask your facilitator for a new one.")
            }
            guard members[caller.account] == nil else {
                throw CircleError(.alreadyMember, "You are already a member of \(name).")
            }
            guard !locked else {
                throw CircleError(.roomLocked, "\(name) is locked: no one new may join now. Ask your facilitator.")
            }
            guard members.count < site.maxMembers else {
                throw CircleError(
                    .roomFull, "\(name) already has \(members.count) members, as many as this site allows in a room.")
            }
            let name = try TextRules.displayName(rawName).get()
            try requireFreeName(name)
            return .append([
                event(
                    .memberJoined(member: caller.account, name: name, role: invite.role, invite: inviteID),
                    by: caller, at: now)
            ])

        case .openSession:
            if let openSession {
                throw CircleError(.sessionAlreadyOpen, "Session \(openSession) is already open.")
            }
            var opened = event(.sessionOpened(number: sessionCount + 1), by: caller, at: now)
            opened.session = sessionCount + 1
            return .append([opened])

        case .closeSession:
            guard let openSession else { throw CircleError(.noOpenSession, "No session is open.") }
            var batch = EventBatch(self)
            closingEvents(into: &batch, at: now, by: caller.account)
            batch.add(.sessionClosed(number: openSession), by: caller.account, at: now)
            return batch.decision

        case .setAgreements(let text):
            let text = try Agreements.validated(text).get()
            return .append([
                event(.agreementsSet(version: agreementsVersion + 1, text: text), by: caller, at: now)
            ])

        case .acceptAgreements(let version):
            guard version == agreementsVersion else {
                throw CircleError(
                    .agreementsChanged,
                    "The agreements are now at version \(agreementsVersion); read them again and accept that version.")
            }
            guard (acceptedAgreements[caller.account] ?? 0) < version else {
                throw CircleError(.badField, "You have already accepted version \(version).")
            }
            return .append([event(.agreementsAccepted(version: version), by: caller, at: now)])

        case .requestHelp(let note):
            // Never gated by agreements or sessions: asking for help must always work.
            let note = try note.map { note throws(CircleError) in
                // One line, but never refused for its line breaks: asking for help must work.
                let folded = String(note.map { $0.isNewline || $0 == "\t" ? " " : $0 })
                return try TextRules.line(folded, field: "note", max: TextRules.maxMessageLength).get()
            }
            return .append([event(.helpRequested(note: note), by: caller, at: now, audience: .facilitators)])

        case .mute(let member, let seconds, let reason):
            try requireModeratable(member, action: "muted")
            if let seconds, !(1...(7 * 24 * 3600)).contains(seconds) {
                throw CircleError(.badField, "A mute lasts 1 second to 7 days, or until lifted.")
            }
            let reason = try TextRules.message(reason).get()
            let until = seconds.map { now.adding(seconds: $0) }
            return .append([event(.memberMuted(member: member, until: until, reason: reason), by: caller, at: now)])

        case .unmute(let member):
            guard isMuted(member, at: now) else {
                throw CircleError(.badField, "\(members[member]?.name ?? member.rawValue) is not muted.")
            }
            return .append([event(.memberUnmuted(member: member), by: caller, at: now)])

        case .say(let text, let clientID):
            if let clientID, let seq = clientIDs[caller.account]?.seq(for: clientID) {
                return .duplicate(of: seq)
            }
            guard openSession != nil else {
                throw CircleError(.noOpenSession, "No session is open; messages wait until a facilitator opens one.")
            }
            try requireMaySpeak(caller, at: now)
            try requireRoundFloor(for: caller)
            try requireFloor(for: caller, at: now)
            return try spoken(text, clientID: clientID, audience: .room, by: caller, at: now, safety: safety)
        }
    }

    /// A message's events: the message itself and, if it matches a risk phrase, the alert and
    /// the crisis card.
    func spoken(
        _ text: String, clientID: String?, audience: Audience, by caller: Caller, at now: Timestamp,
        safety: SafetySettings
    ) throws(CircleError) -> Decision {
        let text = try TextRules.message(text).get()
        let clientID = try clientID.map { id throws(CircleError) in try TextRules.clientID(id).get() }
        let message = event(.message(text: text, clientID: clientID), by: caller, at: now, audience: audience)
        guard let phrase = safety.riskPhrase(in: text) else { return .append([message]) }
        // The words stay in the log as said; the facilitators are alerted privately and
        // the member alone is shown the crisis card.
        return .append(
            numbered([
                message,
                event(.riskAlert(message: message.seq, phrase: phrase), by: caller, at: now, audience: .facilitators),
                event(.crisisCard(text: safety.crisisText), by: caller, at: now, audience: .member(caller.account)),
            ]))
    }

    /// Refuses a muted member, or one who has not accepted the current agreements.
    func requireMaySpeak(_ caller: Caller, at now: Timestamp) throws(CircleError) {
        if let mute = muted[caller.account], mute.holds(at: now) {
            throw CircleError(.muted, "You are muted \(mute.remaining(at: now)). \(mute.reason)")
        }
        if mustAcceptAgreements(caller.account) {
            throw CircleError(
                .agreementsNotAccepted,
                "Please read the group's agreements (version \(agreementsVersion)) and accept them before you speak.")
        }
    }

    /// A member a facilitator may act on: present, and not facilitating.
    func requireModeratable(_ member: AccountID, action: String) throws(CircleError) {
        guard let target = members[member] else {
            throw CircleError(.noSuchMember, "There is no member \(member) in \(name).")
        }
        guard !target.role.isFacilitating else {
            throw CircleError(.forbidden, "Facilitators cannot be \(action).")
        }
    }

    /// Gives a decision's events consecutive sequence numbers after the log's end.
    func numbered(_ events: [Event]) -> [Event] {
        events.enumerated().map { index, event in
            var event = event
            event.seq = lastSeq + 1 + Int64(index)
            return event
        }
    }

    /// Decides and applies in one step: what a room's single writer calls.
    public mutating func execute(
        _ command: RoomCommand, by caller: Caller, at now: Timestamp, site: SiteRules = .standard
    ) throws(CircleError) -> Decision {
        let decision = try decide(command, by: caller, at: now, site: site)
        if case .append(let events) = decision {
            for event in events { apply(event) }
        }
        return decision
    }

    /// No two members' names may be mistaken for each other (`NameKey`): in case, spaces,
    /// invisible characters or look-alike letters.
    private func requireFreeName(_ name: String) throws(CircleError) {
        let keys = NameKey.keys(name)
        guard let other = members.values.first(where: { !NameKey.keys($0.name).isDisjoint(with: keys) }) else { return }
        if other.name == name {
            throw CircleError(.nameTaken, "Someone in this room is already called '\(name)'; choose another name.")
        }
        throw CircleError(
            .nameTaken, "'\(name)' looks too much like '\(other.name)', who is in this room; choose another name.")
    }

    func event(_ body: EventBody, by caller: Caller, at now: Timestamp, audience: Audience = .room) -> Event {
        Event(
            room: id, seq: lastSeq + 1, session: openSession, at: now, actor: caller.account, audience: audience,
            body: body)
    }
}
