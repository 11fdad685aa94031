import CircleCore
import CircleProtocol
import CircleStore
import Foundation

extension Connection {
    /// The audit entry a command leaves when it succeeds: sessions, moderation and role changes.
    /// Reasons and messages are the members' words and stay out of the trail.
    func auditRecord(for command: RoomCommand, in room: RoomRuntime, by caller: Caller, at now: Timestamp)
        -> AuditRecord?
    {
        func record(_ action: AuditRecord.Action, _ target: AccountID? = nil, _ detail: String = "") -> AuditRecord {
            AuditRecord(
                at: now, actor: caller.account, action: action, room: room.id, target: target?.rawValue, detail: detail)
        }
        func span(_ seconds: Int64?) -> String { seconds.map { "\($0) s" } ?? "until lifted" }
        switch command {
        case .openSession: return record(.sessionOpened)
        case .closeSession: return record(.sessionClosed)
        case .mute(let member, let seconds, _): return record(.memberMuted, member, span(seconds))
        case .unmute(let member): return record(.memberUnmuted, member)
        case .setRole(let member, let role): return record(.roleChanged, member, role.rawValue)
        case .kick(let member, _): return record(.memberKicked, member)
        case .ban(let member, let seconds, _): return record(.memberBanned, member, span(seconds))
        case .unban(let member): return record(.memberUnbanned, member)
        case .removeMessage(let seq, let author, _, _): return record(.messageRemoved, author, "message #\(seq)")
        case .lock: return record(.roomLocked)
        case .unlock: return record(.roomUnlocked)
        case .setTopic: return record(.topicSet)
        case .setFloor(let mode, let seconds):
            return record(.floorSet, nil, mode.rawValue + (seconds.map { " \($0) s" } ?? ""))
        case .allowDirectMessages(let allowed): return record(.directMessagesSet, nil, allowed ? "allowed" : "off")
        case .setAttendance(let member, let status): return record(.attendanceSet, member, status.rawValue)
        // Written in the log, and nothing for the trail: members' own words and steps, goals,
        // rounds, the server's own clock. Listed, so that a new command must choose.
        case .create, .createInvite, .redeem, .say, .setAgreements, .acceptAgreements, .requestHelp, .raiseHand,
            .lowerHand, .giveFloor, .sayPrivately, .noteSideRoom, .setGoal, .reviseGoal, .setGoalStatus,
            .addSharedGoal, .decideSharedGoal, .configure, .startRound, .passTurn, .checkIn, .skipTurn, .extendTurn,
            .closeRound, .tick, .arrive, .away, .createSide:
            return nil
        }
    }

    /// Removed messages as a reader of the log gets them: in place, without their words.
    func redacted(_ events: [StoredEvent], in room: RoomRuntime) throws -> [StoredEvent] {
        let removed = room.read { $0.removedMessages }
        guard !removed.isEmpty else { return events }
        return try events.map { stored in
            guard removed.contains(stored.seq) else { return stored }
            var event = try stored.decoded()
            event.body = .withheld(kind: event.body.kind)
            return StoredEvent(seq: stored.seq, json: Data(try ServerFrame.encodeEventJSON(event)))
        }
    }

    func removeMessage(_ body: Request.MessageRemove, in room: RoomRuntime, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        guard let event = readMessage(body.seq, in: room, id: id) else { return }
        let command = RoomCommand.removeMessage(
            seq: body.seq, author: event.actor ?? caller.account, audience: event.audience, reason: body.reason)
        let audit = auditRecord(for: command, in: room, by: caller, at: now).map { [StoreChange.audit($0)] } ?? []
        append(command, in: room, id: id, caller: caller, now: now, extra: audit)
    }

    /// A removed message's words, for the room's facilitators: a privileged read, audited
    /// before it is answered.
    func original(_ body: Request.MessageRef, in room: RoomRuntime, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        // Whether there is such a message at all is said first.
        guard let event = readMessage(body.seq, in: room, id: id) else { return }
        guard room.read({ $0.removedMessages.contains(body.seq) }) else {
            fail(id, CircleError(.badField, "Message #\(body.seq) was not removed; it is in the history as said."))
            return
        }
        let audit = AuditRecord(
            at: now, actor: caller.account, action: .removedMessageRead, room: room.id, target: event.actor?.rawValue,
            detail: "message #\(body.seq)")
        reply(id, Reply.Original(event: event), after: [.audit(audit)])
    }

    /// A committed message a facilitator may see, or a refusal sent and nil.
    private func readMessage(_ seq: Int64, in room: RoomRuntime, id: Int64?) -> Event? {
        let event: Event?
        do {
            event = seq <= room.hub.published ? try context.store.event(room: room.id, seq: seq) : nil
        } catch {
            fail(id, CircleError(.storageUnavailable, "The message could not be read."))
            return nil
        }
        guard let event, case .message = event.body, event.audience.admits(AccountID(""), role: .facilitator) else {
            fail(id, CircleError(.noSuchMessage, "There is no message #\(seq) in \(room.id)."))
            return nil
        }
        return event
    }

    /// Opens a side room for the caller and one member: created with both as members and its
    /// session open, then noted in the parent room for that member and the facilitators.
    func openSideRoom(_ body: Request.MemberRef, in room: RoomRuntime, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        let sideID = Secrets.newRoomID()
        // Decided (not applied) first, so nothing is created for a refused request.
        let (check, ownerName, memberName) = room.read { state in
            (
                Result { () throws(CircleError) in
                    try state.decide(.noteSideRoom(room: sideID, member: body.member), by: caller, at: now)
                },
                state.members[caller.account]?.name ?? "", state.members[body.member]?.name ?? ""
            )
        }
        if case .failure(let error) = check { return fail(id, error) }
        let name = String("Side: \(ownerName) & \(memberName)".prefix(TextRules.maxRoomNameLength))
        let side = RoomRuntime(
            state: RoomState(id: sideID), store: context.store, configuration: context.configuration,
            clock: context.clock, wakeups: context.rooms.wakeups, metrics: context.metrics)
        let extra: [StoreChange] = [
            .room(id: sideID, name: name, owner: caller.account, createdAt: now),
            .audit(
                AuditRecord(
                    at: now, actor: caller.account, action: .sideRoomOpened, room: room.id,
                    target: body.member.rawValue, detail: sideID.rawValue)),
        ]
        let rooms = context.rooms
        let create = RoomCommand.createSide(
            parent: room.id, name: name, ownerName: ownerName, member: body.member, memberName: memberName)
        side.execute(create, by: caller, at: now, extra: extra) { [self] result in
            if case .failure(let error) = result { return fail(id, error) }
            rooms.add(side)
            room.execute(.noteSideRoom(room: sideID, member: body.member), by: caller, at: now) { [self] result in
                switch result {
                case .failure(let error): fail(id, error)
                case .success(let decision): reply(id, Reply.SideOpened(room: sideID, name: name, seq: decision.seq))
                }
            }
        }
    }

    func addNote(_ body: Request.NoteAdd, in room: RoomRuntime, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        guard room.read({ $0.members[body.member] != nil }) else {
            fail(id, CircleError(.noSuchMember, "There is no member \(body.member) in \(room.id)."))
            return
        }
        let text: String
        switch TextRules.message(body.text) {
        case .failure(let error): return fail(id, error)
        case .success(let valid): text = valid
        }
        let changes: [StoreChange] = [
            .note(NoteRecord(room: room.id, member: body.member, author: caller.account, at: now, text: text)),
            .audit(
                AuditRecord(
                    at: now, actor: caller.account, action: .noteAdded, room: room.id, target: body.member.rawValue)),
        ]
        reply(id, Reply.Done(), after: changes)
    }

    /// A member's notes, for the room's facilitators: a privileged read, audited first.
    func listNotes(_ body: Request.MemberRef, in room: RoomRuntime, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        let notes: [Reply.Note]
        do {
            notes = try context.store.notes(room: room.id, member: body.member).map { id, note in
                Reply.Note(id: id, at: note.at, author: note.author, member: note.member, text: note.text)
            }
        } catch {
            fail(id, CircleError(.storageUnavailable, "The notes could not be read."))
            return
        }
        let audit = AuditRecord(
            at: now, actor: caller.account, action: .notesRead, room: room.id, target: body.member.rawValue,
            detail: "\(notes.count) notes")
        reply(id, Reply.Notes(notes: notes), after: [.audit(audit)])
    }
}
