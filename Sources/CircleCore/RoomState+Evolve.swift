extension RoomState {
    /// Folds one event into the state. Replaying a room's log from the start through this
    /// function yields the room as it is; nothing else changes a room.
    public mutating func apply(_ event: Event) {
        precondition(event.seq == lastSeq + 1, "room \(id) expected seq \(lastSeq + 1), got \(event.seq)")
        lastSeq = event.seq
        switch event.body {
        case .roomCreated(let name, let ownerName):
            self.name = name
            if let actor = event.actor {
                owner = actor
                addMember(Member(id: actor, name: ownerName, role: .facilitator, joinedAt: event.at))
            }
        case .inviteCreated(let invite, let uses, let expiresAt):
            invites[invite] = Invite(id: invite, uses: uses, expiresAt: expiresAt)
        case .memberJoined(let member, let name, let role, let invite):
            addMember(Member(id: member, name: name, role: role, joinedAt: event.at))
            if let invite { invites[invite]?.used += 1 }
        case .sessionOpened(let number):
            openSession = number
            sessionCount = max(sessionCount, number)
            sessionStartSeq = event.seq
            sessionStartedAt = event.at
        case .sessionClosed:
            openSession = nil
            sessionStartedAt = nil
        case .agreementsSet(let version, let text):
            agreementsVersion = version
            agreementsText = text
        case .agreementsAccepted(let version):
            if let actor = event.actor { acceptedAgreements[actor] = version }
        case .memberMuted(let member, let until, let reason):
            muted[member] = .some(until)
            muteReasons[member] = reason
        case .memberUnmuted(let member):
            muted[member] = nil
        case .helpRequested, .riskAlert, .crisisCard:
            break
        case .message(_, let clientID):
            if let clientID, let actor = event.actor {
                clientIDs[actor, default: RecentClientIDs()].remember(clientID, seq: event.seq)
            }
        }
    }

    private mutating func addMember(_ member: Member) {
        if members[member.id] == nil { memberOrder.append(member.id) }
        members[member.id] = member
    }
}
