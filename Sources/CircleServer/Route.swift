import CircleCore
import CircleProtocol

/// Where a request goes, and how its caller is checked before it runs. One case per kind of
/// rule in the command table: which case a command takes must agree with its rule
/// (`matches`), so that no request skips the check its rule asks for.
enum Route {
    /// Protocol housekeeping and sign-in, before or after authentication.
    case anyone((Caller?) async -> Void)
    /// The caller's own account, outside any room: checked against the account's kind.
    case account((Caller) async -> Void)
    /// A write that becomes one core command in a room. The room checks the caller's role as
    /// it decides, under its lock; the failure is a request that cannot become a command.
    case command(RoomID, Result<RoomCommand, CircleError>)
    /// A write that a handler runs through the room itself, which checks the role as it decides.
    case roomWrite(RoomID, (RoomRuntime, Caller) async -> Void)
    /// A read, or a write that needs the store first: the caller's role in the room is checked
    /// here, before the handler runs, which gets their membership.
    case roomRead(RoomID, (RoomRuntime, Member, Caller) async -> Void)

    /// Whether this route checks what `rule` asks for.
    func matches(_ rule: CommandTable.Rule) -> Bool {
        switch (self, rule) {
        case (.anyone, .anyone), (.account, .account): true
        case (.command, .room), (.roomWrite, .room), (.roomRead, .room): true
        case (.anyone, _), (.account, _), (.command, _), (.roomWrite, _), (.roomRead, _): false
        }
    }
}

extension Connection {
    /// The one switch between a parsed request and what runs it: the core command it becomes,
    /// or its handler. It has no `default:`, so a new request does not compile until it is
    /// routed here; who may run it is its `CommandName.spec`.
    func route(_ request: Request, id: Int64?, caller: Caller?) -> Route {
        switch request {
        case .hello(let body): .anyone { _ in self.hello(body, id: id) }
        case .ping: .anyone { _ in self.reply(id, Reply.Done()) }
        case .redeem(let body): .anyone { self.redeem(body, id: id, caller: $0) }
        case .roomCreate(let body): .account { self.createRoom(body, id: id, caller: $0) }
        case .roomList: .account { self.listRooms(id: id, caller: $0) }
        case .tokenRevoke: .account { self.revokeOwnToken(id: id, caller: $0) }
        case .journalAdd(let body): .account { self.addJournalEntry(body, id: id, caller: $0) }
        case .journalList(let body): .account { self.listJournal(body, id: id, caller: $0) }
        case .journalSummary(let body): .account { self.summarizeJournal(body, id: id, caller: $0) }
        // Names a room, but shares the caller's own entry: checked as an account request.
        case .journalShare(let body): .account { self.shareJournalEntry(body, id: id, caller: $0) }

        case .sessionOpen(let body): .command(body.room, .success(.openSession))
        case .sessionClose(let body): .command(body.room, .success(.closeSession))
        case .say(let body): .command(body.room, .success(.say(text: body.text, clientID: body.cid)))
        case .agreementsSet(let body): .command(body.room, .success(.setAgreements(text: body.text)))
        case .agreementsAccept(let body): .command(body.room, .success(.acceptAgreements(version: body.version)))
        case .helpSignal(let body): .command(body.room, .success(.requestHelp(note: body.note)))
        case .memberMute(let body):
            .command(body.room, .success(.mute(member: body.member, seconds: body.duration, reason: body.reason)))
        case .memberUnmute(let body): .command(body.room, .success(.unmute(member: body.member)))
        case .memberRole(let body): .command(body.room, .success(.setRole(member: body.member, role: body.role)))
        case .memberKick(let body):
            .command(
                body.room,
                body.duration == nil
                    ? .success(.kick(member: body.member, reason: body.reason))
                    : .failure(
                        CircleError(.badField, "Field 'duration' does not apply to a kick; a kicked member may rejoin.")
                    ))
        case .memberBan(let body):
            .command(body.room, .success(.ban(member: body.member, seconds: body.duration, reason: body.reason)))
        case .memberUnban(let body): .command(body.room, .success(.unban(member: body.member)))
        case .roomLock(let body): .command(body.room, .success(.lock))
        case .roomUnlock(let body): .command(body.room, .success(.unlock))
        case .roomTopic(let body): .command(body.room, .success(.setTopic(text: body.text)))
        case .floorSet(let body): .command(body.room, .success(.setFloor(mode: body.mode, seconds: body.seconds)))
        case .handRaise(let body): .command(body.room, .success(.raiseHand))
        case .handLower(let body):
            .command(
                body.room,
                caller.map { .success(.lowerHand(member: body.member ?? $0.account)) }
                    ?? .failure(CommandTable.signInFirst(.handLower)))
        case .floorGive(let body):
            .command(body.room, .success(.giveFloor(member: body.member, seconds: body.duration)))
        case .dmAllow(let body): .command(body.room, .success(.allowDirectMessages(body.allowed)))
        case .dm(let body):
            .command(body.room, .success(.sayPrivately(to: body.to, text: body.text, clientID: body.cid)))
        case .goalSet(let body):
            .command(
                body.room,
                caller.map {
                    .success(
                        .setGoal(
                            member: body.member ?? $0.account, text: body.text, horizon: body.horizon ?? .short,
                            target: body.target, visibility: body.visibility ?? .group))
                } ?? .failure(CommandTable.signInFirst(.goalSet)))
        case .goalRevise(let body):
            .command(
                body.room,
                .success(
                    .reviseGoal(
                        goal: body.goal, text: body.text, horizon: body.horizon, target: body.target,
                        visibility: body.visibility, reason: body.reason)))
        case .goalStatus(let body):
            .command(body.room, .success(.setGoalStatus(goal: body.goal, status: body.status, reason: body.reason)))
        case .sharedGoalAdd(let body): .command(body.room, .success(.addSharedGoal(text: body.text)))
        case .sharedGoalDecide(let body):
            .command(body.room, .success(.decideSharedGoal(goal: body.goal, accept: body.accept, reason: body.reason)))
        case .roomSettings(let body):
            .command(body.room, .success(.configure(maxGoals: body.maxGoals, crossTalk: body.crossTalk)))
        case .roundStart(let body): .command(body.room, startRound(body))
        case .roundPass(let body): .command(body.room, .success(.passTurn))
        case .checkIn(let body): .command(body.room, .success(.checkIn(body.checkIn)))
        case .roundSkip(let body): .command(body.room, .success(.skipTurn))
        case .roundExtend(let body): .command(body.room, .success(.extendTurn(seconds: body.seconds)))
        case .roundClose(let body): .command(body.room, .success(.closeRound))
        case .attendanceSet(let body):
            .command(body.room, .success(.setAttendance(member: body.member, status: body.status)))

        case .inviteCreate(let body): .roomWrite(body.room) { self.createInvite(body, in: $0, id: id, caller: $1) }
        case .sideOpen(let body): .roomWrite(body.room) { self.openSideRoom(body, in: $0, id: id, caller: $1) }

        case .join(let body):
            .roomRead(body.room) { room, member, _ in await self.join(body, in: room, id: id, member: member) }
        case .leave(let body): .roomRead(body.room) { room, _, caller in self.leave(room, id: id, caller: caller) }
        case .history(let body):
            .roomRead(body.room) { room, member, _ in self.history(body, in: room, id: id, member: member) }
        case .auditList(let body): .roomRead(body.room) { room, _, _ in self.auditList(body, in: room, id: id) }
        case .messageRemove(let body):
            .roomRead(body.room) { room, _, caller in self.removeMessage(body, in: room, id: id, caller: caller) }
        case .messageOriginal(let body):
            .roomRead(body.room) { room, _, caller in self.original(body, in: room, id: id, caller: caller) }
        case .noteAdd(let body):
            .roomRead(body.room) { room, _, caller in self.addNote(body, in: room, id: id, caller: caller) }
        case .noteList(let body):
            .roomRead(body.room) { room, _, caller in self.listNotes(body, in: room, id: id, caller: caller) }
        case .progress(let body):
            .roomRead(body.room) { room, member, _ in self.progress(body, in: room, id: id, member: member) }
        case .overview(let body): .roomRead(body.room) { room, _, _ in self.overview(in: room, id: id) }
        case .roundWho(let body): .roomRead(body.room) { room, _, _ in self.answer(id, room.read { $0.stillToGo() }) }
        case .journalShared(let body):
            .roomRead(body.room) { room, _, caller in self.journalShared(body, in: room, id: id, caller: caller) }
        case .archiveExport(let body):
            .roomRead(body.room) { room, _, caller in await self.exportArchive(body, in: room, id: id, caller: caller) }
        case .archiveMine(let body):
            .roomRead(body.room) { room, _, caller in await self.exportMine(in: room, id: id, caller: caller) }
        case .archiveRead(let body):
            .roomRead(body.room) { room, member, _ in self.readArchive(body, in: room, id: id, member: member) }
        }
    }

    /// Runs a request: checks the caller as its route and rule ask, then the handler or the
    /// core command.
    func handle(_ request: Request, id: Int64?) async {
        let (greeted, caller) = state.withLock { ($0.greeted, $0.caller) }
        let operation = request.operation
        guard greeted || operation == .hello else {
            fail(id, CircleError(.helloRequired, "Say hello first: {\"op\":\"hello\",\"protocol\":1}."))
            return
        }
        let route = route(request, id: id, caller: caller)
        guard route.matches(operation.spec.rule) else {
            fail(id, CircleError(.internalError, "'\(operation.rawValue)' is routed against its rule; refused."))
            return
        }
        switch route {
        case .anyone(let run):
            await run(caller)
        case .account(let run):
            if case .failure(let error) = CommandTable.authorize(operation, account: caller?.kind, roomRole: nil) {
                return fail(id, error)
            }
            await run(caller!)
        case .command(let roomID, let command):
            guard let (room, caller) = inRoom(roomID, operation, id: id, caller: caller) else { return }
            switch command {
            case .failure(let error): fail(id, error)
            case .success(let command): run(command, in: room, id: id, caller: caller)
            }
        case .roomWrite(let roomID, let run):
            guard let (room, caller) = inRoom(roomID, operation, id: id, caller: caller) else { return }
            await run(room, caller)
        case .roomRead(let roomID, let run):
            guard let (room, caller) = inRoom(roomID, operation, id: id, caller: caller),
                let member = authorizeRead(operation, in: room, id: id, caller: caller)
            else { return }
            await run(room, member, caller)
        }
    }

    /// The room a request names, for a signed-in caller; or a refusal sent and nil.
    private func inRoom(_ roomID: RoomID, _ operation: CommandName, id: Int64?, caller: Caller?) -> (
        RoomRuntime, Caller
    )? {
        guard let caller else {
            fail(id, CommandTable.signInFirst(operation))
            return nil
        }
        guard let room = context.rooms[roomID] else {
            fail(id, CircleError(.noSuchRoom, "There is no room \(roomID.rawValue)."))
            return nil
        }
        return (room, caller)
    }

    /// A round in the order asked for; a random order is shuffled here, so the core stays
    /// deterministic.
    private func startRound(_ body: Request.RoundStart) -> Result<RoomCommand, CircleError> {
        let order = body.order ?? .joined
        var listed = body.members
        if order == .random {
            guard listed == nil else {
                return .failure(
                    CircleError(.badField, "Field 'members' is for a listed order; a random one shuffles everyone."))
            }
            let now = context.clock.now()
            listed = context.rooms[body.room]?.read { $0.roundParticipants(at: now) }.shuffled()
        }
        return .success(
            .startRound(
                kind: body.kind ?? .checkIn, prompt: body.prompt, order: order, listed: listed,
                turnSeconds: body.turnSeconds, instrument: body.instrument))
    }
}
