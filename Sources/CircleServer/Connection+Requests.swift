import CircleCore
import CircleProtocol
import CircleStore
import Foundation

extension Connection {
    func hello(_ body: Request.Hello, id: Int64?) {
        guard ProtocolVersion.supported.contains(body.protocol) else {
            fail(
                id,
                CircleError(
                    .unsupportedProtocol,
                    "This server speaks protocol \(ProtocolVersion.current); the client asked for \(body.protocol)."))
            return
        }
        guard !state.withLock({ $0.greeted }) else {
            fail(id, CircleError(.alreadyGreeted, "This connection has already said hello."))
            return
        }
        // The client's name goes into the audit trail, which operators read in a terminal.
        if let client = body.client,
            case .failure(let error) = TextRules.line(
                client, field: "client", max: TextRules.maxClientIDLength, code: .badField)
        {
            fail(id, error)
            return
        }
        if body.token != nil, refuseWhileGuessing(id) { return }
        var account: AccountRecord?
        if let token = body.token {
            do {
                account = try context.store.account(forToken: token)
            } catch {
                fail(id, CircleError(.storageUnavailable, "The server could not check that token."))
                return
            }
        }
        let now = context.clock.now()
        guard body.token == nil || account != nil else {
            signInFailed(
                id, CircleError(.badToken, "That token is not valid; it may have been revoked."),
                reason: "unknown or revoked token")
            return
        }
        let configuration = context.configuration
        let hello = Reply.Hello(
            server: configuration.serverVersion, protocol: ProtocolVersion.current,
            heartbeat: configuration.heartbeatSeconds, maxFrame: configuration.maxFrameSize,
            account: account.map { Reply.Account(id: $0.id, name: $0.name, kind: $0.kind) })
        guard let account else {
            state.withLock { $0.greeted = true }
            reply(id, hello)
            return
        }
        state.withLock { state in
            state.greeted = true
            state.caller = Caller(account: account.id, kind: account.kind)
            state.tokenHash = body.token.map(Secrets.hash)
            state.name = account.name
        }
        let login = AuditRecord(at: now, actor: account.id, action: .login, detail: body.client ?? "")
        reply(id, hello, after: [.audit(login)])
    }

    func redeem(_ body: Request.Redeem, id: Int64?, caller: Caller?) {
        if caller == nil, refuseWhileGuessing(id) { return }
        let found: (InviteID, RoomID)?
        do {
            found = try context.store.invite(forCode: body.code)
        } catch {
            fail(id, CircleError(.storageUnavailable, "The server could not check that invite."))
            return
        }
        guard let (invite, roomID) = found, let room = context.rooms[roomID] else {
            signInFailed(id, CircleError(.badInvite, "That invite code is not valid."), reason: "wrong invite code")
            return
        }
        let now = context.clock.now()
        var extra: [StoreChange] = []
        var token: String?
        let joiner: Caller
        let accountName: String
        if let caller {
            joiner = caller
            accountName = state.withLock { $0.name }
        } else {
            // A new person: their account is written in the same transaction as their joining.
            switch TextRules.displayName(body.name) {
            case .failure(let error):
                fail(id, error)
                return
            case .success(let name):
                let record = AccountRecord(id: Secrets.newAccountID(), name: name, kind: .participant, createdAt: now)
                let newToken = Secrets.newToken()
                extra.append(.account(record, tokenHash: Secrets.hash(newToken)))
                extra.append(
                    .audit(
                        AuditRecord(
                            at: now, actor: record.id, action: .accountCreated, target: record.id.rawValue,
                            detail: "participant account created by redeeming an invite")))
                token = newToken
                joiner = Caller(account: record.id, kind: .participant)
                accountName = name
            }
        }
        extra.append(
            .audit(
                AuditRecord(
                    at: now, actor: joiner.account, action: .memberJoined, room: roomID,
                    target: joiner.account.rawValue, detail: "invite \(invite)")))
        room.execute(.redeem(invite: invite, name: body.name), by: joiner, at: now, extra: extra) {
            [self, token] result in
            switch result {
            case .failure(let error):
                fail(id, error)
            case .success(let decision):
                var role = RoomRole.participant
                if case .append(let events) = decision, case .memberJoined(_, _, let joinedAs, _)? = events.first?.body
                {
                    role = joinedAs
                }
                if let token {
                    state.withLock { state in
                        state.caller = joiner
                        state.name = accountName
                        state.tokenHash = Secrets.hash(token)
                    }
                }
                reply(
                    id,
                    Reply.Redeemed(
                        account: Reply.Account(id: joiner.account, name: accountName, kind: joiner.kind),
                        token: token, room: roomID, role: role, seq: decision.seq))
            }
        }
    }

    func createRoom(_ body: Request.RoomCreate, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        let ownerName = state.withLock { $0.name }
        let name: String
        switch TextRules.roomName(body.name) {
        case .failure(let error):
            fail(id, error)
            return
        case .success(let valid):
            name = valid
        }
        let roomID = Secrets.newRoomID()
        let room = RoomRuntime(
            state: RoomState(id: roomID), store: context.store, configuration: context.configuration,
            clock: context.clock, wakeups: context.rooms.wakeups, metrics: context.metrics)
        let extra: [StoreChange] = [
            .room(id: roomID, name: name, owner: caller.account, createdAt: now),
            .audit(AuditRecord(at: now, actor: caller.account, action: .roomCreated, room: roomID)),
        ]
        let rooms = context.rooms
        room.execute(.create(name: name, ownerName: ownerName), by: caller, at: now, extra: extra) { [self] result in
            switch result {
            case .failure(let error):
                fail(id, error)
            case .success:
                rooms.add(room)
                reply(id, Reply.RoomCreated(room: roomID, name: name))
            }
        }
    }

    func listRooms(id: Int64?, caller: Caller) {
        let summaries = context.rooms.all.compactMap { room in
            room.read { state -> Reply.RoomSummary? in
                guard let role = state.role(of: caller.account) else { return nil }
                return Reply.RoomSummary(
                    id: state.id, name: state.name, role: role, session: state.openSession, members: state.members.count
                )
            }
        }
        reply(id, Reply.Rooms(rooms: summaries.sorted { ($0.name, $0.id) < ($1.name, $1.id) }))
    }
}

extension Connection {
    /// Signs out for good: the token this connection signed in with stops working at once, on
    /// every connection that uses it, this one included.
    func revokeOwnToken(id: Int64?, caller: Caller) {
        guard let hash = tokenHash else {
            return fail(id, CircleError(.badField, "This connection did not sign in with a token."))
        }
        let revoke = StoreChange.revokeToken(hash: hash, by: caller.account, at: context.clock.now())
        context.store.committer.submit([revoke]) { [self] outcome in
            switch outcome {
            case .success:
                reply(id, Reply.Done())
                context.cutOff(tokenHashes: [hash])
            case .failure:
                fail(id, CircleError(.storageUnavailable, "The token could not be revoked."))
            }
        }
    }

    /// The address per-address limits count this connection under; nil when exempt.
    var signInAddress: String? {
        transport.remoteIP.flatMap {
            CircleServer.limitedIP($0, loopbackIsExempt: context.configuration.loopbackIsExempt)
        }
    }

    /// Refuses a sign-in from an address that has failed too often in this interval, before
    /// any token or code is looked at.
    private func refuseWhileGuessing(_ id: Int64?) -> Bool {
        guard let wait = context.signIns.retryAfter(signInAddress, at: context.clock.now()) else { return false }
        fail(id, CircleError(.rateLimited, "Too many failed sign-ins from your address; try again in \(wait) s."))
        return true
    }

    /// A wrong token or code: counted for the address (audited once per interval, with a
    /// summary of the rest) and for the connection, which is closed after a few.
    private func signInFailed(_ id: Int64?, _ error: CircleError, reason: String) {
        let records = context.signIns.failed(signInAddress, reason: reason, at: context.clock.now())
        let tooMany = state.withLock { state in
            state.failedSignIns += 1
            return state.failedSignIns >= context.configuration.failedSignInsPerConnection
        }
        // What is audited is durable before the refusal is sent.
        context.store.committer.submit(records.map(StoreChange.audit)) { [self] _ in
            if tooMany {
                context.metrics?.refused(error.code)
                closeAfter(
                    .error(
                        id: id,
                        CircleError(error.code, error.message + " Too many failed sign-ins; this connection is closed.")
                    ))
            } else {
                fail(id, error)
            }
        }
    }
}
