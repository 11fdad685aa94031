extension RoomState {
    /// Folds one event into the state. Replaying a room's log from the start through this
    /// function yields the room as it is; nothing else changes a room.
    public mutating func apply(_ event: Event) {
        precondition(event.seq == lastSeq + 1, "room \(id) expected seq \(lastSeq + 1), got \(event.seq)")
        lastSeq = event.seq
        facts.apply(event)
        switch event.body {
        case .roomCreated:
            owner = event.actor
        case .inviteCreated(let invite, let uses, let expiresAt, let role):
            invites[invite] = Invite(id: invite, uses: uses, expiresAt: expiresAt, role: role)
        case .memberJoined(_, _, _, let invite):
            if let invite { invites[invite]?.used += 1 }
        case .sessionOpened(let number):
            sessionCount = max(sessionCount, number)
            sessionStartSeq = event.seq
        case .agreementsAccepted(let version):
            if let actor = event.actor { acceptedAgreements[actor] = version }
        case .memberBanned(let member, let until, let reason):
            banned[member] = Sanction(until: until, reason: reason)
        case .memberUnbanned(let member):
            banned[member] = nil
        case .messageRemoved(let message, _, _):
            removedMessages.insert(message)
        case .goalSet, .goalRevised, .goalStatusSet, .sharedGoalAdded, .sharedGoalProposed, .settingsSet,
            .roundStarted, .checkInRecorded, .checkInPrivate, .attendanceSet:
            applyTracking(event)
        case .message(_, let clientID):
            if let actor = event.actor {
                if let clientID { clientIDs[actor, default: RecentClientIDs()].remember(clientID, seq: event.seq) }
                if event.audience == .room { lastSpoke[actor] = event.at }
            }
        // Folded by the facts alone.
        case .sessionClosed, .agreementsSet, .memberMuted, .memberUnmuted, .memberRoleChanged, .memberKicked,
            .roomLocked, .topicSet, .floorModeSet, .handRaised, .handLowered, .floorGiven, .directMessagesSet,
            .sideRoomCreated, .sharedGoalDecided, .turnBegan, .turnWarned, .turnExtended, .turnEnded, .roundEnded,
            .helpRequested, .riskAlert, .crisisCard, .sideRoomOpened, .withheld, .instrumentAlert:
            break
        }
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
            goalCount += 1
        case .settingsSet(let maxGoals, let crossTalk):
            maxActiveGoals = maxGoals
            self.crossTalk = crossTalk
        case .roundStarted(let number, _, _, _, _, _):
            roundCount = max(roundCount, number)
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
