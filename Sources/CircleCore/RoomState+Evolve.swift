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
            floor.apply(event)
        case .memberKicked:
            floor.apply(event)
        case .memberBanned(let member, let until, let reason):
            banned[member] = Sanction(until: until, reason: reason)
            floor.apply(event)
        case .memberUnbanned(let member):
            banned[member] = nil
        case .messageRemoved(let message, _, _):
            removedMessages.insert(message)
        case .roomLocked(let locked):
            self.locked = locked
        case .topicSet(let text):
            topic = text
        case .floorModeSet, .handRaised, .handLowered, .floorGiven:
            floor.apply(event)
        case .directMessagesSet(let allowed):
            directMessagesAllowed = allowed
        case .sideRoomCreated(let parent, let member, let name):
            self.parent = parent
            addMember(Member(id: member, name: name, role: .participant, joinedAt: event.at))
        case .helpRequested, .riskAlert, .crisisCard, .sideRoomOpened, .withheld, .instrumentAlert:
            break
        case .goalSet, .goalRevised, .goalStatusSet, .sharedGoalAdded, .sharedGoalProposed, .sharedGoalDecided,
            .settingsSet, .roundStarted, .turnBegan, .turnWarned, .turnExtended, .turnEnded, .checkInRecorded,
            .checkInPrivate, .roundEnded, .attendanceSet:
            applyTracking(event)
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

extension RoomState {
    /// Goals, rounds, check-ins and attendance.
    mutating func applyTracking(_ event: Event) {
        switch event.body {
        case .goalSet(let goal):
            goals[goal.id] = goal
            goalCount += 1
        case .goalRevised(let id, let text, let horizon, let target, let visibility, let reason):
            guard var goal = goals[id] else { return }
            goal.history.append(Goal.Revision(at: event.at, text: goal.text, reason: reason))
            goal.text = text
            goal.horizon = horizon
            goal.target = target
            goal.visibility = visibility
            goals[id] = goal
        case .goalStatusSet(let id, let status, _):
            goals[id]?.status = status
        case .sharedGoalAdded, .sharedGoalProposed:
            SharedGoal.apply(event, to: &sharedGoals)
            goalCount += 1
        case .sharedGoalDecided:
            SharedGoal.apply(event, to: &sharedGoals)
        case .settingsSet(let maxGoals, let crossTalk):
            maxActiveGoals = maxGoals
            self.crossTalk = crossTalk
        case .roundStarted(let number, _, _, _, _, _):
            Round.apply(event, to: &round)
            roundCount = max(roundCount, number)
        case .turnBegan, .turnWarned, .turnExtended, .turnEnded, .roundEnded:
            Round.apply(event, to: &round)
        case .checkInRecorded(let member, let checkIn):
            records[member, default: MemberRecord()].checkIns.append(
                MemberRecord.Entry(session: event.session ?? sessionCount, at: event.at, checkIn: checkIn))
        case .checkInPrivate(let member, let checkIn):
            // The private half of the same check-in: made in the same decision, at the same moment.
            var record = records[member, default: MemberRecord()]
            if var last = record.checkIns.last, last.at == event.at {
                last.checkIn.ratings += checkIn.ratings
                last.checkIn.instrument = checkIn.instrument
                last.checkIn.answers = checkIn.answers
                last.checkIn.score = checkIn.score
                record.checkIns[record.checkIns.count - 1] = last
            } else {
                record.checkIns.append(
                    MemberRecord.Entry(session: event.session ?? sessionCount, at: event.at, checkIn: checkIn))
            }
            records[member] = record
        case .attendanceSet(let member, let session, let status):
            records[member, default: MemberRecord()].attendance[session] = status
        default:
            break
        }
    }
}
