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
        case .sharedGoalAdded(let id, let text):
            sharedGoals.append(SharedGoal(id: id, text: text, proposedBy: nil, status: .active))
            goalCount += 1
        case .sharedGoalProposed(let id, let text):
            sharedGoals.append(SharedGoal(id: id, text: text, proposedBy: event.actor, status: .proposed))
            goalCount += 1
        case .sharedGoalDecided(let id, let accepted, _):
            if let index = sharedGoals.firstIndex(where: { $0.id == id }) {
                sharedGoals[index].status = accepted ? .active : .declined
            }
        case .settingsSet(let maxGoals, let crossTalk):
            maxActiveGoals = maxGoals
            self.crossTalk = crossTalk
        case .roundStarted(let number, let kind, let prompt, let queue, let turnSeconds, let instrument):
            round = Round(
                number: number, kind: kind, prompt: prompt, instrument: instrument, turnSeconds: turnSeconds,
                queue: queue)
            roundCount = max(roundCount, number)
        case .turnBegan(let member, let endsAt):
            if let index = round?.queue.firstIndex(of: member) { round?.queue.remove(at: index) }
            round?.current = member
            round?.turnStartedAt = event.at
            round?.turnEndsAt = endsAt
            round?.warned = false
        case .turnWarned:
            round?.warned = true
        case .turnExtended(_, let endsAt):
            round?.turnEndsAt = endsAt
            // Warn again only if the new 80% mark is still ahead.
            if let warning = round.flatMap({ $0.turnStartedAt }).map({ start in
                Timestamp(milliseconds: endsAt.milliseconds - (endsAt.milliseconds - start.milliseconds) / 5)
            }), warning > event.at {
                round?.warned = false
            }
        case .turnEnded(let member, let outcome):
            round?.current = nil
            round?.turnStartedAt = nil
            round?.turnEndsAt = nil
            if outcome.isFinal {
                round?.outcomes.append((member, outcome))
            } else {
                round?.queue.append(member)
                if outcome == .away { round?.awayOnce.insert(member) }
            }
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
        case .roundEnded:
            round = nil
        case .attendanceSet(let member, let session, let status):
            records[member, default: MemberRecord()].attendance[session] = status
        default:
            break
        }
    }
}
