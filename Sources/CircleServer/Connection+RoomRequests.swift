import CircleCore
import CircleProtocol
import CircleStore

extension Connection {
    /// Stops following a room; the member is away from it.
    func leave(_ room: RoomRuntime, id: Int64?, caller: Caller) {
        state.withLock { _ = $0.rooms.remove(room.id) }
        room.hub.unsubscribe(self)
        room.memberAway(caller.account)
        reply(id, Reply.Done())
    }

    func overview(in room: RoomRuntime, id: Int64?) {
        reply(id, room.read { $0.overview(instruments: context.configuration.instruments) })
    }

    /// Runs a room command a request maps to, with the audit entry it leaves, and what follows
    /// a session opening or closing.
    func run(_ command: RoomCommand, in room: RoomRuntime, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        let audit = auditRecord(for: command, in: room, by: caller, at: now).map { StoreChange.audit($0) }
        let context = context
        append(command, in: room, id: id, caller: caller, now: now, extra: audit.map { [$0] } ?? []) {
            // Everyone already here when a session opens has arrived.
            if command == .openSession { for member in room.hub.onlineAccounts { room.memberArrived(member) } }
            if command == .closeSession { context.archiveSession(room.read { $0.sessionCount }, of: room) }
        }
    }

    func append(
        _ command: RoomCommand, in room: RoomRuntime, id: Int64?, caller: Caller, now: Timestamp,
        extra: [StoreChange] = [], then: @escaping @Sendable () -> Void = {}
    ) {
        room.execute(command, by: caller, at: now, extra: extra) { [self] result in
            switch result {
            case .failure(let error):
                fail(id, error)
            case .success(let decision):
                then()
                guard let id else { return }
                let duplicate = if case .duplicate = decision { true } else { false }
                send(.appended(id: id, seq: decision.seq, duplicate: duplicate))
            }
        }
    }

    func createInvite(_ body: Request.InviteCreate, in room: RoomRuntime, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        let lifetime = body.expiresIn ?? context.configuration.defaultInviteLifetime
        guard (1...context.configuration.maxInviteLifetime).contains(lifetime) else {
            fail(
                id,
                CircleError(
                    .badField,
                    "Field 'expires_in' must be 1 to \(context.configuration.maxInviteLifetime) seconds."))
            return
        }
        let uses = body.uses ?? 1
        let invite = Secrets.newInviteID()
        let code = Secrets.newInviteCode()
        let expiresAt = now.adding(seconds: lifetime)
        let extra: [StoreChange] = [
            .invite(
                id: invite, room: room.id, codeHash: Secrets.hash(Secrets.normalizedInviteCode(code)), createdAt: now),
            .audit(
                AuditRecord(
                    at: now, actor: caller.account, action: .inviteCreated, room: room.id, target: invite.rawValue,
                    detail: "\(uses) uses as \(body.role ?? .participant)")),
        ]
        let role = body.role ?? .participant
        room.execute(
            .createInvite(invite: invite, uses: uses, expiresAt: expiresAt, role: role), by: caller, at: now,
            extra: extra
        ) { [self] result in
            switch result {
            case .failure(let error):
                fail(id, error)
            case .success(let decision):
                reply(
                    id,
                    Reply.InviteCreated(invite: invite, code: code, uses: uses, expiresAt: expiresAt, seq: decision.seq)
                )
            }
        }
    }

    /// The caller's membership, if the command table lets them run `operation` in `room`.
    func authorizeRead(_ operation: CommandName, in room: RoomRuntime, id: Int64?, caller: Caller) -> Member? {
        let now = context.clock.now()
        let (member, ban) = room.read { ($0.members[caller.account], $0.activeBan(of: caller.account, at: now)) }
        if case .failure(let error) = CommandTable.authorize(operation, account: caller.kind, roomRole: member?.role) {
            fail(id, error)
            return nil
        }
        if let ban {
            fail(id, CircleError(.banned, "You are banned from this room \(ban.remaining(at: now)). \(ban.reason)"))
            return nil
        }
        return member
    }

    /// Subscribes to a room: the reply, then the history the member may see up to the reply's
    /// `through`, then live events. A `since` resumes exactly after the last event seen.
    func join(_ body: Request.Join, in room: RoomRuntime, id: Int64?, member: Member) async {
        if let since = body.since, since < 0 {
            fail(id, CircleError(.badField, "Field 'since' must be 0 or more."))
            return
        }
        let (name, session, startedAt, sessionStart, members) = room.read { state in
            (
                state.name, state.openSession, state.sessionStartedAt, state.sessionStartSeq,
                state.memberOrder.compactMap { state.members[$0] }
            )
        }
        let (agreementsVersion, agreements, accepted) = room.read { state in
            (state.agreementsVersion, state.agreementsText, state.acceptedAgreements[member.id] ?? 0)
        }
        let (topic, locked, directMessages, floor) = room.read { state in
            (state.topic, state.locked, state.directMessagesAllowed, Reply.FloorView(state.floor))
        }
        let (round, sharedGoals) = room.read { state in (state.round.map(Reply.RoundView.init), state.sharedGoals) }
        state.withLock { _ = $0.rooms.insert(room.id) }
        let (published, online) = room.hub.subscribe(self, account: member.id, name: member.name, role: member.role)
        reply(
            id,
            Reply.Joined(
                room: room.id, name: name, role: member.role, session: session, sessionStartedAt: startedAt,
                through: published, members: members, online: online, agreementsVersion: agreementsVersion,
                agreements: agreements, acceptedVersion: accepted, topic: topic, locked: locked,
                directMessages: directMessages, floor: floor, round: round, sharedGoals: sharedGoals))
        let viewer = LogViewer(account: member.id, role: member.role)
        var pacer = BacklogPacer(connection: self, budget: context.configuration.outboundLimit / 4)
        do {
            if let since = body.since {
                var after = since
                let page = context.configuration.maxHistoryPage
                // Each purged span is said where its events would have come, so the client
                // knows the jump in seq is retention's, not a gap to resume again.
                var purged = since < published ? try purgedSpans(of: room.id, in: (since + 1)...published) : []
                while after < published {
                    let events = try redacted(
                        context.store.events(
                            room: room.id, after: after, through: published, viewer: viewer, limit: page),
                        in: room)
                    for event in events {
                        while let span = purged.first, span.first < event.seq {
                            try await pacer.send(.purged(span))
                            purged.removeFirst()
                        }
                        try await pacer.send(.storedEvent(json: event.json))
                    }
                    guard let last = events.last, events.count == page else { break }
                    after = last.seq
                }
                for span in purged { try await pacer.send(.purged(span)) }
            } else {
                let events = try redacted(
                    context.store.events(
                        room: room.id, from: sessionStart, before: published + 1, viewer: viewer,
                        limit: context.configuration.joinHistory),
                    in: room)
                for event in events { try await pacer.send(.storedEvent(json: event.json)) }
            }
        } catch {
            // Going live with a hole would break the no-gap promise: drop the subscription so
            // the client resumes again instead.
            room.hub.unsubscribe(self)
            state.withLock { _ = $0.rooms.remove(room.id) }
            fail(nil, CircleError(.storageUnavailable, "The history of \(room.id) could not be sent; join again."))
            return
        }
        room.hub.goLive(self)
        room.memberArrived(member.id)
    }

    func auditList(_ body: Request.AuditList, in room: RoomRuntime, id: Int64?) {
        let maxPage = context.configuration.maxHistoryPage
        let limit = body.limit ?? 100
        guard (1...maxPage).contains(limit) else {
            fail(id, CircleError(.badField, "Field 'limit' must be 1 to \(maxPage)."))
            return
        }
        do {
            let entries = try context.store.auditEntries(room: room.id, limit: limit).map { id, record in
                Reply.AuditEntry(
                    id: id, at: record.at, actor: record.actor, action: record.action.rawValue, room: record.room,
                    target: record.target, detail: record.detail)
            }
            reply(id, Reply.Audit(entries: entries))
        } catch {
            fail(id, CircleError(.storageUnavailable, "The audit trail of \(room.id) could not be read."))
        }
    }

    func history(_ body: Request.History, in room: RoomRuntime, id: Int64?, member: Member) {
        let maxPage = context.configuration.maxHistoryPage
        let limit = body.limit ?? 50
        guard (1...maxPage).contains(limit) else {
            fail(id, CircleError(.badField, "Field 'limit' must be 1 to \(maxPage)."))
            return
        }
        let viewer = LogViewer(account: member.id, role: member.role)
        let published = room.hub.published
        do {
            var stored: [StoredEvent]
            var more: Bool
            // A page is bounded by bytes as well as by count, so that the largest page a client
            // may ask for (the most messages, each as long as allowed) still fits the
            // connection's outbound buffer; `more` tells it to ask again.
            let budget = context.configuration.outboundLimit / 4
            // The stretch of seq this page covers: purged spans inside it are named in the reply.
            let reach: ClosedRange<Int64>?
            if let after = body.after {
                stored = try context.store.events(
                    room: room.id, after: after, through: published, viewer: viewer, limit: limit + 1)
                more = stored.count > limit
                stored = Array(stored.prefix(limit))
                let fitting = Self.fitting(stored, budget: budget, newestFirst: false)
                more = more || fitting.count < stored.count
                stored = fitting
                let end = more ? stored.last?.seq ?? published : published
                reach = after < end ? (after + 1)...end : nil
            } else {
                let before = min(body.before ?? Int64.max, published + 1)
                stored = try context.store.events(room: room.id, before: before, viewer: viewer, limit: limit + 1)
                more = stored.count > limit
                stored = Array(stored.suffix(limit))
                let fitting = Self.fitting(stored, budget: budget, newestFirst: true)
                more = more || fitting.count < stored.count
                stored = fitting
                let start = more ? stored.first?.seq ?? 1 : 1
                reach = start < before ? start...(before - 1) : nil
            }
            let members = room.read { state in state.memberOrder.compactMap { state.members[$0] } }
            let events = try redacted(stored, in: room).map { try $0.decoded() }
            let purged = try reach.map { try purgedSpans(of: room.id, in: $0) } ?? []
            reply(
                id, Reply.History(events: events, more: more, members: members, purged: purged.isEmpty ? nil : purged))
        } catch {
            fail(id, CircleError(.storageUnavailable, "The history of \(room.id) could not be read."))
        }
    }

    /// The spans of `room` that retention purged and that reach into `range`, oldest first.
    private func purgedSpans(of room: RoomID, in range: ClosedRange<Int64>) throws -> [PurgedSpan] {
        try context.store.purges(room: room).map {
            PurgedSpan(room: room, session: $0.session, first: $0.first, last: $0.last, archive: $0.file)
        }
        .filter { $0.overlaps(range) }
    }

    /// The events, in order, that fit in `budget` bytes of JSON, counted from the oldest (a
    /// page forward) or the newest (a page back); at least one, so a page always moves on.
    static func fitting(_ events: [StoredEvent], budget: Int, newestFirst: Bool) -> [StoredEvent] {
        var used = 0
        var count = 0
        for event in newestFirst ? Array(events.reversed()) : events {
            used += event.json.count + 1
            if count > 0 && used > budget { break }
            count += 1
        }
        return newestFirst ? Array(events.suffix(count)) : Array(events.prefix(count))
    }
}
