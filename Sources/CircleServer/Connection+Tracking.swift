import CircleCore
import CircleProtocol
import CircleStore

extension Connection {
    /// A member's progress: their own, or (facilitators) any participant's.
    func progress(_ body: Request.ProgressQuery, in room: RoomRuntime, id: Int64?, member: Member) {
        let subject = body.member ?? member.id
        guard subject == member.id || member.role.isFacilitating else {
            return fail(id, CircleError(.forbidden, "You see your own progress; facilitators see everyone's."))
        }
        guard room.read({ $0.members[subject] != nil }) else {
            return fail(id, CircleError(.noSuchMember, "There is no member \(subject) in \(room.id)."))
        }
        let instruments = context.configuration.instruments
        reply(id, room.read { $0.progress(of: subject, instruments: instruments) })
    }

    /// The journal entries members shared with this room: a privileged read, audited first.
    func journalShared(_ body: Request.ProgressQuery, in room: RoomRuntime, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        let entries: [JournalEntry]
        do {
            entries = try context.store.journalShared(
                room: room.id, author: body.member, limit: context.configuration.maxHistoryPage)
        } catch {
            return fail(id, CircleError(.storageUnavailable, "The shared journal entries could not be read."))
        }
        let audit = AuditRecord(
            at: now, actor: caller.account, action: .journalSharedRead, room: room.id, target: body.member?.rawValue,
            detail: "\(entries.count) entries")
        reply(id, Reply.Journal(entries: entries), after: [.audit(audit)])
    }

    // The journal requests belong to the account rather than to a room.

    func addJournalEntry(_ body: Request.JournalAdd, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        let (text, tags): (String, [String])
        switch JournalEntry.validated(text: body.text, tags: body.tags ?? [], mood: body.mood) {
        case .failure(let error): return fail(id, error)
        case .success(let valid): (text, tags) = valid
        }
        let entry = JournalEntry(
            id: Secrets.newEntryID(), author: caller.account, at: now, kind: body.kind, text: text, tags: tags,
            mood: body.mood)
        reply(id, Reply.JournalAdded(entry: entry.id), after: [.journal(entry)])
    }

    func listJournal(_ body: Request.JournalList, id: Int64?, caller: Caller) {
        let limit = body.limit ?? 50
        guard (1...context.configuration.maxHistoryPage).contains(limit) else {
            return fail(
                id, CircleError(.badField, "Field 'limit' must be 1 to \(context.configuration.maxHistoryPage)."))
        }
        do {
            reply(id, Reply.Journal(entries: try context.store.journal(author: caller.account, limit: limit)))
        } catch {
            fail(id, CircleError(.storageUnavailable, "Your journal could not be read."))
        }
    }

    func shareJournalEntry(_ body: Request.JournalShare, id: Int64?, caller: Caller) {
        let now = context.clock.now()
        guard let room = context.rooms[body.room], room.read({ $0.members[caller.account] != nil }) else {
            return fail(id, CircleError(.notAMember, "You are not a member of \(body.room)."))
        }
        do {
            guard try context.store.journalEntry(body.entry, author: caller.account) != nil else {
                return fail(id, CircleError(.badField, "You have no journal entry \(body.entry)."))
            }
        } catch {
            return fail(id, CircleError(.storageUnavailable, "Your journal could not be read."))
        }
        reply(id, Reply.Done(), after: [.journalShare(entry: body.entry, room: body.room, at: now)])
    }

    func summarizeJournal(_ body: Request.JournalSummary, id: Int64?, caller: Caller) {
        guard let (from, to) = Timestamp.month(body.month) else {
            return fail(id, CircleError(.badField, "Field 'month' is written YYYY-MM, such as 2026-11."))
        }
        do {
            let entries = try context.store.journal(author: caller.account, from: from, to: to, limit: 100_000)
            reply(id, JournalDigest.of(entries, month: body.month))
        } catch {
            fail(id, CircleError(.storageUnavailable, "Your journal could not be read."))
        }
    }
}
