extension RoomState {
    /// Arriving this long after a session opened counts as late.
    public static let lateAfterSeconds: Int64 = 600

    /// Starting, taking and steering check-in and check-out rounds.
    func decideRound(
        _ command: RoomCommand, by caller: Caller, at now: Timestamp, instruments: InstrumentCatalog
    ) throws(CircleError) -> Decision {
        var batch = EventBatch(self)
        let actor = caller.account
        switch command {
        case .startRound(let kind, let prompt, let order, let listed, let turnSeconds, let instrument):
            guard openSession != nil else { throw CircleError(.noOpenSession, "Open a session before a round.") }
            if let round { throw CircleError(.roundInProgress, "Round \(round.number) is still running.") }
            if let turnSeconds, !(10...3600).contains(turnSeconds) {
                throw CircleError(.badField, "A turn lasts 10 to 3600 seconds, or is untimed.")
            }
            if let instrument, instruments[instrument] == nil {
                let offered = instruments.byID.keys.sorted().joined(separator: ", ")
                throw CircleError(.badField, "There is no instrument '\(instrument)'; this server offers \(offered).")
            }
            let queue = try roundQueue(order: order, listed: listed, at: now)
            batch.add(
                .roundStarted(
                    number: roundCount + 1, kind: kind,
                    prompt: try TextRules.line(prompt, field: "round's prompt", max: TextRules.maxTopicLength).get(),
                    queue: queue,
                    turnSeconds: turnSeconds, instrument: instrument), by: actor, at: now)
            batch.continueRound(at: now, by: actor)

        case .passTurn:
            try requireTurn(of: caller)
            batch.add(.turnEnded(member: actor, outcome: .passed), by: actor, at: now)
            batch.continueRound(at: now, by: actor)

        case .checkIn(let submitted):
            try requireTurn(of: caller)
            try recordCheckIn(submitted, by: caller, at: now, instruments: instruments, into: &batch)
            batch.add(.turnEnded(member: actor, outcome: .checkedIn), by: actor, at: now)
            batch.continueRound(at: now, by: actor)

        case .skipTurn:
            let current = try currentTurn()
            batch.add(.turnEnded(member: current, outcome: .skipped), by: actor, at: now)
            batch.continueRound(at: now, by: actor)

        case .extendTurn(let seconds):
            let current = try currentTurn()
            guard let endsAt = round?.turnEndsAt else {
                throw CircleError(.badField, "This round's turns are not timed.")
            }
            guard (10...3600).contains(seconds) else { throw CircleError(.badField, "Extend by 10 to 3600 seconds.") }
            batch.add(
                .turnExtended(member: current, endsAt: endsAt.adding(seconds: Int64(seconds))), by: actor, at: now)

        case .closeRound:
            guard round != nil else { throw CircleError(.noRound, "No round is running.") }
            batch.endRound(early: true, at: now, by: actor)

        case .setAttendance(let member, let status):
            guard members[member]?.role == .participant else {
                throw CircleError(.noSuchMember, "Attendance is kept for participants; \(member) is not one here.")
            }
            let session = openSession ?? sessionCount
            guard session > 0 else { throw CircleError(.noOpenSession, "There has been no session yet.") }
            batch.add(.attendanceSet(member: member, session: session, status: status), by: actor, at: now)

        default:
            preconditionFailure("\(command.operation) is not a round command")
        }
        return batch.decision
    }

    /// The next moment the room's clock must be looked at: the round's next deadline, or the
    /// end of a timed ban (whose member is then told they may come back).
    public var nextWake: Timestamp? {
        let banEnds = banned.values.compactMap(\.until)
        return ([round?.nextDeadline].compactMap { $0 } + banEnds).min()
    }

    /// The server's own commands: the room's clock, arrivals, and members away at their turn.
    /// They are not requests, so they are not in the command table; an empty decision means
    /// there was nothing to do.
    func decideHousekeeping(_ command: RoomCommand, by caller: Caller, at now: Timestamp) -> Decision {
        var batch = EventBatch(self)
        switch command {
        case .tick:
            // A timed ban that has run out ends with an event, so the member hears they may
            // come back (and everyone that they may), in log order.
            for member in memberOrder where banned[member]?.until.map({ $0 <= now }) == true {
                batch.add(.memberUnbanned(member: member), by: nil, at: now)
            }
            guard let round, let current = round.current, let endsAt = round.turnEndsAt else { break }
            if now >= endsAt {
                batch.add(.turnEnded(member: current, outcome: .timedOut), by: nil, at: now)
                batch.continueRound(at: now, by: nil)
            } else if let warning = round.warningAt, now >= warning {
                batch.add(.turnWarned(member: current), by: nil, at: now)
            }
        case .arrive:
            guard let session = openSession, members[caller.account]?.role == .participant,
                records[caller.account]?.attendance[session] == nil
            else { break }
            let late = sessionStartedAt.map { now > $0.adding(seconds: Self.lateAfterSeconds) } ?? false
            batch.add(
                .attendanceSet(member: caller.account, session: session, status: late ? .late : .present),
                by: caller.account, at: now)
        case .away(let member):
            guard let round, round.current == member else { break }
            let outcome: Round.Outcome = round.awayOnce.contains(member) ? .absent : .away
            batch.add(.turnEnded(member: member, outcome: outcome), by: nil, at: now)
            batch.continueRound(at: now, by: nil)
        default:
            preconditionFailure("\(command) is not housekeeping")
        }
        return batch.decision
    }

    /// What closing a session adds first: the end of a round still running, and an absence
    /// for every participant who never arrived.
    func closingEvents(into batch: inout EventBatch, at now: Timestamp, by actor: AccountID) {
        if batch.state.round != nil { batch.endRound(early: true, at: now, by: actor) }
        guard let session = openSession else { return }
        for member in memberOrder where members[member]?.role == .participant {
            if records[member]?.attendance[session] == nil {
                batch.add(.attendanceSet(member: member, session: session, status: .absent), by: actor, at: now)
            }
        }
    }

    /// Who is still to go in the running round. A member away at their turn, moved to the
    /// end once, is still to go.
    public func stillToGo() -> Result<StillToGo, CircleError> {
        guard let round else { return .failure(CircleError(.noRound, "No round is running.")) }
        return .success(StillToGo(round: round.number, current: round.current, waiting: round.queue))
    }

    /// Refuses a participant's cross-talk while a round runs, unless the room allows it.
    func requireRoundFloor(for caller: Caller) throws(CircleError) {
        guard let round, crossTalk == .refused, role(of: caller.account) == .participant,
            round.current != caller.account
        else { return }
        let whose = round.current.map { "it is \(members[$0]?.name ?? $0.rawValue)'s turn" } ?? "between turns"
        throw CircleError(
            .roundInProgress, "A \(round.kind.rawValue) round is running (\(whose)); please wait until it ends.")
    }

    private func roundQueue(order: Round.Order, listed: [AccountID]?, at now: Timestamp) throws(CircleError)
        -> [AccountID]
    {
        let participants = roundParticipants(at: now)
        let queue: [AccountID]
        if order == .joined {
            queue = participants
        } else {
            guard let listed, !listed.isEmpty else {
                throw CircleError(.missingField, "A \(order.rawValue) round needs its list of members.")
            }
            if let stranger = listed.first(where: { !participants.contains($0) }) {
                throw CircleError(.noSuchMember, "\(stranger) is not a participant here.")
            }
            guard Set(listed).count == listed.count else {
                throw CircleError(.badField, "The round lists someone twice.")
            }
            queue = listed
        }
        guard !queue.isEmpty else { throw CircleError(.badField, "There is no participant to go round.") }
        return queue
    }

    private func requireTurn(of caller: Caller) throws(CircleError) {
        guard let round else { throw CircleError(.noRound, "No round is running.") }
        guard round.current == caller.account else {
            let whose = round.current.map { "it is \(members[$0]?.name ?? $0.rawValue)'s turn" } ?? "no one's turn"
            throw CircleError(.notYourTurn, "It is not your turn (\(whose)).")
        }
    }

    private func currentTurn() throws(CircleError) -> AccountID {
        guard let round else { throw CircleError(.noRound, "No round is running.") }
        guard let current = round.current else { throw CircleError(.badField, "No one holds the turn.") }
        return current
    }

    /// Checks a check-in and adds its events: what the group sees, what only the facilitators
    /// see, and any instrument alert.
    private func recordCheckIn(
        _ submitted: CheckIn, by caller: Caller, at now: Timestamp, instruments: InstrumentCatalog,
        into batch: inout EventBatch
    ) throws(CircleError) {
        let active = activeGoals(of: caller.account)
        for rating in submitted.ratings {
            guard active.contains(where: { $0.id == rating.goal }) else {
                throw CircleError(.noSuchGoal, "You have no active goal \(rating.goal).")
            }
            guard (0...10).contains(rating.progress) else {
                throw CircleError(.badField, "Progress on \(rating.goal) is 0 to 10, not \(rating.progress).")
            }
            if let gas = rating.gas, !GoalAttainment.scores.contains(gas) {
                throw CircleError(.badField, "The GAS score of \(rating.goal) is -2 to +2, not \(gas).")
            }
        }
        guard Set(submitted.ratings.map(\.goal)).count == submitted.ratings.count else {
            throw CircleError(.badField, "A goal is rated twice.")
        }
        if let missing = active.first(where: { goal in !submitted.ratings.contains { $0.goal == goal.id } }) {
            throw CircleError(.missingField, "Rate every active goal: \(missing.id) (\(missing.text)) has no rating.")
        }
        if submitted.kept != nil {
            let session = openSession ?? sessionCount
            let earlier = records[caller.account]?.checkIns.contains {
                $0.session < session && $0.checkIn.commitment != nil
            }
            guard earlier == true else {
                throw CircleError(
                    .badField,
                    "Field 'kept': you made no commitment in an earlier session, so there is none to report on; leave it out this time."
                )
            }
        }
        var score: Instrument.Score?
        if let id = round?.instrument, let instrument = instruments[id] {
            guard let answers = submitted.answers else {
                throw CircleError(
                    .missingField, "This round asks the \(instrument.name): answer its \(instrument.items.count) items."
                )
            }
            score = try instrument.score(answers).get()
        } else if submitted.answers != nil {
            throw CircleError(.badField, "This round asks no questionnaire; leave out 'answers'.")
        }
        let note = try submitted.note.map { note throws(CircleError) in try TextRules.message(note).get() }
        let commitment = try submitted.commitment.map { text throws(CircleError) in try TextRules.message(text).get() }
        let shared = submitted.ratings.filter { goals[$0.goal]?.visibility == .group }
        let privateRatings = submitted.ratings.filter { goals[$0.goal]?.visibility != .group }
        let member = caller.account
        batch.add(
            .checkInRecorded(
                member: member,
                checkIn: CheckIn(ratings: shared, note: note, kept: submitted.kept, commitment: commitment)),
            by: member, at: now)
        if !privateRatings.isEmpty || score != nil {
            batch.add(
                .checkInPrivate(
                    member: member,
                    checkIn: CheckIn(
                        ratings: privateRatings, instrument: score == nil ? nil : round?.instrument,
                        answers: score == nil ? nil : submitted.answers, score: score?.total)),
                by: member, at: now, audience: .facilitatorsAnd(member))
        }
        if let score, !score.alerts.isEmpty, let instrument = round?.instrument {
            batch.add(
                .instrumentAlert(member: member, instrument: instrument, items: score.alerts), by: member, at: now,
                audience: .facilitators)
        }
    }
}

extension EventBatch {
    /// After a turn ends: the next member's turn, or the round's end when no one is left.
    mutating func continueRound(at now: Timestamp, by actor: AccountID?) {
        guard let round = state.round, round.current == nil else { return }
        if let next = round.queue.first {
            add(
                .turnBegan(member: next, endsAt: round.turnSeconds.map { now.adding(seconds: Int64($0)) }), by: actor,
                at: now)
        } else {
            endRound(early: false, at: now, by: actor)
        }
    }

    /// Ends the round with its summary; anyone not yet done is "not reached".
    mutating func endRound(early: Bool, at now: Timestamp, by actor: AccountID?) {
        guard let round = state.round else { return }
        var lines = round.outcomes.map { member, outcome in
            Round.SummaryLine(member: member, outcome: outcome, change: state.groupChange(of: member))
        }
        for member in (round.current.map { [$0] } ?? []) + round.queue
        where !lines.contains(where: { $0.member == member }) {
            lines.append(Round.SummaryLine(member: member, outcome: .notReached, change: nil))
        }
        add(.roundEnded(number: round.number, summary: lines, early: early), by: actor, at: now)
    }
}

extension RoomState {
    /// A member's change in mean progress on the goals the group sees: this session's latest
    /// check-in against their last one in an earlier session.
    func groupChange(of member: AccountID) -> Double? {
        guard let session = openSession ?? Optional(sessionCount), let record = records[member],
            let latest = record.checkIns.last(where: { $0.session == session }),
            let now = groupMean(latest.checkIn),
            let before = record.checkIns.last(where: { $0.session < session && groupMean($0.checkIn) != nil })
                .flatMap({ groupMean($0.checkIn) })
        else { return nil }
        return now - before
    }

    private func groupMean(_ checkIn: CheckIn) -> Double? {
        let shared = checkIn.ratings.filter { goals[$0.goal]?.visibility == .group }
        return shared.isEmpty ? nil : Double(shared.map(\.progress).reduce(0, +)) / Double(shared.count)
    }
}
