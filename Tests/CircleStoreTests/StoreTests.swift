import CircleCore
import CircleStore
import CircleTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

@Suite struct StoreTests {
    static let room = RoomID("r-test")
    static let owner = AccountRecord(
        id: AccountID("u-owner"), name: "Dana", kind: .facilitator, createdAt: Timestamp(milliseconds: 1))

    /// Submits changes and waits for their commit.
    static func commit(_ store: Store, _ changes: [StoreChange]) async throws {
        let result = await withCheckedContinuation { continuation in
            store.committer.submit(changes) { continuation.resume(returning: $0) }
        }
        try result.get()
    }

    static func event(_ seq: Int64, audience: Audience = .room, text: String? = nil) throws -> StoreChange {
        let event = Event(
            room: room, seq: seq, session: 1, at: Timestamp(milliseconds: seq), actor: owner.id, audience: audience,
            body: .message(text: text ?? "message \(seq)", clientID: "c\(seq)"))
        return .event(event, json: try JSONEncoder().encode(event))
    }

    static func seeded(_ folder: TemporaryFolder, durability: Durability = .full) async throws -> Store {
        let store = try Store(folder: folder.path, durability: durability)
        try await commit(
            store,
            [
                .account(owner, tokenHash: Secrets.hash("ct_owner")),
                .room(id: room, name: "Group", owner: owner.id, createdAt: Timestamp(milliseconds: 1)),
            ])
        return store
    }

    @Test func migrationsBuildTheSchemaAndReopeningKeepsEverything() async throws {
        let folder = try TemporaryFolder()
        do {
            let store = try await Self.seeded(folder)
            try await Self.commit(store, try (1...10).map { try Self.event($0) })
            store.close()
        }
        let reopened = try Store(folder: folder.path)
        defer { reopened.close() }
        let tables = try await reopened.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(Set(["accounts", "tokens", "rooms", "invites", "events"]).isSubset(of: Set(tables)))
        let events = try reopened.events(room: Self.room, after: 0, through: nil, viewer: nil, limit: 100)
        #expect(events.map(\.seq) == Array(1...10))
        #expect(try events[3].decoded().body == .message(text: "message 4", clientID: "c4"))
        #expect(try reopened.roomIDs() == [Self.room])
        let mode = try await reopened.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    /// The writer must run with the durability asked for: GRDB's pool sets NORMAL when it
    /// turns WAL on, after the connection's setup hook, which once overrode FULL unnoticed.
    @Test func theWriterSyncsAsDurabilityAsks() throws {
        for (durability, level) in [(Durability.full, 2), (.normal, 1)] {
            let folder = try TemporaryFolder()
            let store = try Store(folder: folder.path, durability: durability)
            defer { store.close() }
            let synchronous = try store.pool.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA synchronous")
            }
            #expect(synchronous == level, "\(durability)")
        }
    }

    /// Finding where a session's archive ends looks up its close through the partial index,
    /// not by scanning the room's whole log (INDEXED BY makes SQLite refuse the query, rather
    /// than scan, if that index could not serve it).
    @Test func aSessionCloseIsFoundThroughItsIndex() throws {
        let folder = try TemporaryFolder()
        let store = try Store(folder: folder.path)
        defer { store.close() }
        let plan = try store.pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "EXPLAIN QUERY PLAN SELECT seq FROM events INDEXED BY events_session_closed WHERE room = ? AND kind = 'session_closed' AND session = ?",
                arguments: ["r", 1]
            ).map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.contains { $0.contains("events_session_closed") }, "\(plan)")
    }

    @Test func concurrentSendersShareCommits() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder)
        defer { store.close() }
        let before = store.committer.stats
        let counter = Counter()
        // 50 senders, 20 messages each; sequence numbers are handed out and submitted under one
        // lock, as a room does, so the log has no gaps.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    for _ in 0..<20 {
                        let result = await withCheckedContinuation { continuation in
                            counter.value.withLock { seq in
                                seq += 1
                                store.committer.submit([try! Self.event(seq)]) { continuation.resume(returning: $0) }
                            }
                        }
                        try result.get()
                    }
                }
            }
            try await group.waitForAll()
        }
        let stats = store.committer.stats
        let entries = stats.entries - before.entries
        let commits = stats.commits - before.commits
        #expect(entries == 1000)
        #expect(commits < entries, "no batching: \(commits) commits for \(entries) entries")
        let stored = try store.events(room: Self.room, after: 0, through: nil, viewer: nil, limit: 2000)
        #expect(stored.map(\.seq) == Array(1...1000))
    }

    @Test func completionsRunInSubmissionOrderAfterTheCommit() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder)
        defer { store.close() }
        let order = Recorder<Int64>()
        let visible = Recorder<Bool>()
        let pool = store.pool
        for seq in Int64(1)...200 {
            store.committer.submit([try Self.event(seq)]) { _ in
                order.append(seq)
                let count = try? pool.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE seq = ?", arguments: [seq])
                }
                visible.append(count == 1)
            }
        }
        await store.committer.flush()
        #expect(order.values == Array(1...200))
        #expect(visible.values.allSatisfy { $0 })
    }

    /// The hooks the server installs are called once per commit for the life of the process;
    /// reaching them must cost the same at the last commit as at the first. (They once
    /// grew by two thunks per commit, which only the stack depth shows without timing.)
    @Test func hooksAreReachedAtTheSameDepthEveryCommit() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder)
        defer { store.close() }
        let scopeDepths = Recorder<Int>()
        let observerDepths = Recorder<Int>()
        store.committer.scopeCompletions { completions in
            scopeDepths.append(Thread.callStackReturnAddresses.count)
            completions()
        }
        store.committer.observe { _ in observerDepths.append(Thread.callStackReturnAddresses.count) }
        for seq in Int64(1)...300 { try await Self.commit(store, [try Self.event(seq)]) }
        #expect(scopeDepths.values.count == 300)
        #expect(Set(scopeDepths.values).count == 1)
        #expect(Set(observerDepths.values).count == 1)
    }

    @Test func eachRequestsWaitIsObserved() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder)
        defer { store.close() }
        let observations = Recorder<CommitObservation>()
        store.committer.observe { observations.append($0) }
        // Fifty requests at once: most queue behind the first commit and wait through it too.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for seq in Int64(1)...50 {
                group.addTask { try await Self.commit(store, [try Self.event(seq)]) }
            }
            try await group.waitForAll()
        }
        let seen = observations.values
        #expect(seen.reduce(0) { $0 + $1.entries } == 50)
        // Each request was queued before its commit began, so it waited at least that long.
        #expect(seen.allSatisfy { observation in observation.waits.allSatisfy { $0 >= observation.nanoseconds } })
    }

    @Test func aRequestWhoseRowIsRefusedFailsAloneAndTheWriterGoesOn() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder)
        defer { store.close() }
        try await Self.commit(store, [try Self.event(1)])
        // The same sequence number twice breaks the primary key: that request is refused, the
        // next one is written (CommitFaultTests shows a mixed batch).
        await #expect(throws: CircleError.self) { try await Self.commit(store, [try Self.event(1)]) }
        try await Self.commit(store, [try Self.event(2)])
        let stored = try store.events(room: Self.room, after: 0, through: nil, viewer: nil, limit: 10)
        #expect(stored.map(\.seq) == [1, 2])
        #expect(store.committer.stats.failures == 1)
    }

    @Test func aStorageFaultStopsTheWriterForGood() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder)
        defer { store.close() }
        try await Self.commit(store, [try Self.event(1)])
        // The writer refuses to write, as a database made read-only under the server does.
        try await store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 1") }
        await #expect(throws: CircleError.self) { try await Self.commit(store, [try Self.event(2)]) }
        try await store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 0") }
        // Nothing after it may be written, so no gap can ever open in a log.
        await #expect(throws: CircleError.self) { try await Self.commit(store, [try Self.event(2)]) }
        let stored = try store.events(room: Self.room, after: 0, through: nil, viewer: nil, limit: 10)
        #expect(stored.map(\.seq) == [1])
        #expect(store.committer.stats.failures == 1)
    }

    @Test func readersOnlySeeWhatTheirAudienceAllows() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder)
        defer { store.close() }
        let sam = AccountID("u-sam")
        try await Self.commit(
            store,
            [
                try Self.event(1), try Self.event(2, audience: .facilitators),
                try Self.event(3, audience: .member(sam)),
                try Self.event(4, audience: .member(AccountID("u-kim"))), try Self.event(5),
            ])
        func seqs(_ viewer: LogViewer) throws -> [Int64] {
            try store.events(room: Self.room, after: 0, through: nil, viewer: viewer, limit: 10).map(\.seq)
        }
        #expect(try seqs(.init(account: sam, role: .participant)) == [1, 3, 5])
        #expect(try seqs(.init(account: Self.owner.id, role: .facilitator)) == [1, 2, 5])
        let latest = try store.events(
            room: Self.room, before: 6, viewer: .init(account: sam, role: .participant), limit: 2)
        #expect(latest.map(\.seq) == [3, 5])
    }

    @Test func tokensAreStoredOnlyAsHashes() async throws {
        let folder = try TemporaryFolder()
        let store = try Store(folder: folder.path)
        defer { store.close() }
        let (account, token) = try store.createAccount(
            name: "  Dana ", kind: .facilitator, at: Timestamp(milliseconds: 5))
        #expect(account.name == "Dana")
        #expect(try store.account(forToken: token) == account)
        #expect(try store.account(forToken: token + "x") == nil)
        let stored = try await store.pool.read { db in try String.fetchAll(db, sql: "SELECT hash FROM tokens") }
        #expect(stored == [Secrets.hash(token)])
        let file = try Data(contentsOf: URL(fileURLWithPath: store.path))
        #expect(file.range(of: Data(token.utf8)) == nil)
        #expect(throws: CircleError.self) {
            try store.createAccount(name: "\n", kind: .facilitator, at: .init(milliseconds: 1))
        }
    }

    @Test func inviteCodesAreFoundHoweverTheyAreTyped() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder)
        defer { store.close() }
        let code = "AB0C1-XYZ9Q"
        try await Self.commit(
            store,
            [
                .invite(
                    id: InviteID("i-1"), room: Self.room, codeHash: Secrets.hash(Secrets.normalizedInviteCode(code)),
                    createdAt: Timestamp(milliseconds: 1))
            ])
        for typed in ["AB0C1-XYZ9Q", "ab0c1xyz9q", " abOc1 - xyz9q ", "ABOCI-XYZ9Q"] {
            #expect(try store.invite(forCode: typed)?.0 == InviteID("i-1"), "\(typed)")
        }
        #expect(try store.invite(forCode: "AB0C1-XYZ9R") == nil)
    }

    @Test func retentionAndRevocationGoThroughTheOneWriterAndAreAudited() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder)
        defer { store.close() }
        try await Self.commit(store, try (1...6).map { try Self.event($0) })
        let at = Timestamp(milliseconds: 100)
        let entry = ArchiveEntry(
            room: Self.room, session: 1, file: "archives/r-test/session-1.circle.gz", sha256: "00", bytes: 1,
            events: 3, firstSeq: 1, lastSeq: 3, createdAt: at, verifiedAt: at)
        // A hold set just before the purge commits keeps every event.
        try store.setLegalHold(room: Self.room, held: true, reason: "court order", at: at)
        try await Self.commit(store, [.purge(entry, at: at)])
        #expect(try store.eventCount(room: Self.room) == 6)
        #expect(try store.purges(room: Self.room).isEmpty)
        try store.setLegalHold(room: Self.room, held: false, reason: "lifted", at: at)
        try await Self.commit(store, [.purge(entry, at: at)])
        #expect(try store.eventCount(room: Self.room) == 3)
        #expect(try store.purges(room: Self.room).map(\.session) == [1])

        try await Self.commit(store, [.revokeToken(hash: Secrets.hash("ct_owner"), by: Self.owner.id, at: at)])
        #expect(try store.account(forToken: "ct_owner") == nil)
        let actions = try store.auditEntries(limit: 100).map(\.record.action)
        #expect(actions.filter { $0 == .sessionPurged }.count == 1)
        #expect(actions.last == .tokenRevoked)
        // The folder's anchor follows the trail written by the writer.
        #expect(try AuditAnchor.read(folder: folder.path) == (try store.auditHead()))
    }

    @Test func secretsHaveTheAdvertisedShape() {
        let token = Secrets.newToken()
        #expect(token.hasPrefix("ct_") && token.count == 55)
        #expect(Secrets.newToken() != token)
        let code = Secrets.newInviteCode()
        #expect(code.count == 11 && code.contains("-"))
        #expect(Secrets.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

final class Counter: Sendable {
    let value = Mutex<Int64>(0)
}

final class Recorder<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    func append(_ value: Value) {
        storage.withLock { $0.append(value) }
    }

    var values: [Value] {
        storage.withLock { $0 }
    }
}
