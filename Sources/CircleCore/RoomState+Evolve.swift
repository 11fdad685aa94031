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
        case .inviteCreated(let invite, let uses, let expiresAt, let role):
            invites[invite] = Invite(id: invite, uses: uses, expiresAt: expiresAt, role: role)
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
            muted[member] = Sanction(until: until, reason: reason)
        case .memberUnmuted(let member):
            muted[member] = nil
        case .memberRoleChanged(let member, let role):
            members[member]?.role = role
            if !role.canSpeak { floor.forget(member) }
        case .memberKicked(let member, _):
            floor.forget(member)
        case .memberBanned(let member, let until, let reason):
            banned[member] = Sanction(until: until, reason: reason)
            floor.forget(member)
        case .memberUnbanned(let member):
            banned[member] = nil
        case .messageRemoved(let message, _, _):
            removedMessages.insert(message)
        case .roomLocked(let locked):
            self.locked = locked
        case .topicSet(let text):
            topic = text
        case .floorModeSet(let mode, let seconds):
            floor = Floor()
            floor.mode = mode
            floor.slowSeconds = seconds ?? 0
        case .handRaised:
            if let actor = event.actor { floor.hands.append(actor) }
        case .handLowered(let member):
            floor.hands.removeAll { $0 == member }
        case .floorGiven(let member, let until):
            if let member { floor.hands.removeAll { $0 == member } }
            floor.holder = member
            floor.holderUntil = until
        case .directMessagesSet(let allowed):
            directMessagesAllowed = allowed
        case .sideRoomCreated(let parent, let member, let name):
            self.parent = parent
            addMember(Member(id: member, name: name, role: .participant, joinedAt: event.at))
        case .helpRequested, .riskAlert, .crisisCard, .sideRoomOpened, .withheld:
            break
        case .message(_, let clientID):
            if let actor = event.actor {
                if let clientID { clientIDs[actor, default: RecentClientIDs()].remember(clientID, seq: event.seq) }
                if event.audience == .room { lastSpoke[actor] = event.at }
            }
        }
    }

    private mutating func addMember(_ member: Member) {
        if members[member.id] == nil { memberOrder.append(member.id) }
        members[member.id] = member
    }
}
