import CircleCore
import CircleStore
import CircleTestSupport
import Foundation
import GRDB
import Testing

@Suite struct AuditChainTests {
    static func record(_ index: Int) -> AuditRecord {
        AuditRecord(
            at: Timestamp(milliseconds: Int64(index)), actor: AccountID("u-\(index)"), action: .login,
            detail: "client \(index)")
    }

    static func seeded(_ folder: TemporaryFolder, entries: Int) async throws -> Store {
        let store = try Store(folder: folder.path)
        for index in 1...entries {
            let result = await withCheckedContinuation { continuation in
                store.committer.submit([.audit(record(index))]) { continuation.resume(returning: $0) }
            }
            try result.get()
        }
        return store
    }

    @Test func anUntouchedTrailVerifies() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder, entries: 5)
        defer { store.close() }
        guard case .intact(let entries, let lastHash) = try store.verifyAudit() else {
            Issue.record("an untouched trail did not verify")
            return
        }
        #expect(entries == 5)
        #expect(lastHash.count == 64)
        #expect(try store.auditEntries().map(\.record) == (1...5).map(Self.record))
    }

    @Test func anEditedEntryIsNamed() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder, entries: 5)
        defer { store.close() }
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE audit SET detail = 'nothing to see' WHERE id = 3")
        }
        #expect(try store.verifyAudit() == .broken(entry: 3, reason: "entry 3 was changed after it was written"))
    }

    @Test func aRewrittenHashBreaksTheNextLink() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder, entries: 5)
        defer { store.close() }
        // A careful forger recomputes entry 2's own hash; entry 3 still points at the old one.
        let forged = AuditRecord(
            at: Timestamp(milliseconds: 2), actor: AccountID("u-2"), action: .login, detail: "forged")
        let previous = try await store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = 1")!
        }
        try await store.pool.write { db in
            try db.execute(
                sql: "UPDATE audit SET detail = 'forged', hash = ? WHERE id = 2",
                arguments: [AuditChain.hash(id: 2, record: forged, previous: previous)])
        }
        #expect(try store.verifyAudit() == .broken(entry: 3, reason: "entry 3 does not link to entry 2"))
    }

    @Test func aDeletedEntryIsMissed() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder, entries: 5)
        defer { store.close() }
        try await store.pool.write { db in try db.execute(sql: "DELETE FROM audit WHERE id = 4") }
        #expect(try store.verifyAudit() == .broken(entry: 4, reason: "entry 4 is missing"))
    }

    @Test func removingTheNewestEntriesFallsShortOfTheAnchor() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder, entries: 5)
        defer { store.close() }
        // Each commit that audits raises the folder's anchor once it is committed.
        let anchored = try #require(try AuditAnchor.read(folder: folder.path))
        #expect(anchored == (try store.auditHead()))
        #expect(anchored.entries == 5)
        let witness = AuditChain.Witness(head: anchored, source: "the anchor")
        // The chain alone cannot see it: what is left still links.
        try await store.pool.write { db in try db.execute(sql: "DELETE FROM audit WHERE id >= 4") }
        #expect(try store.verifyAudit().isIntact)
        #expect(
            try store.verifyAudit(against: [witness])
                == .broken(
                    entry: 4,
                    reason: "the newest entries were removed: the trail ends at entry 3, but the anchor counted 5"))
    }

    @Test func aTrailRebuiltToTheAnchorsLengthIsStillCaught() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder, entries: 3)
        defer { store.close() }
        let witness = AuditChain.Witness(head: try #require(try store.auditHead()), source: "session-1.circle.gz")
        // A forger removes entry 3 and appends a consistent one in its place.
        try await store.pool.write { db in try db.execute(sql: "DELETE FROM audit WHERE id = 3") }
        let result = await withCheckedContinuation { continuation in
            store.committer.submit([.audit(Self.record(99))]) { continuation.resume(returning: $0) }
        }
        try result.get()
        #expect(
            try store.verifyAudit(against: [witness])
                == .broken(
                    entry: 3, reason: "entry 3 is not the one session-1.circle.gz recorded: the trail was rewritten"))
    }

    @Test func anAnchorEditedByHandIsRefusedAndNeverLowered() async throws {
        let folder = try TemporaryFolder()
        let store = try await Self.seeded(folder, entries: 4)
        defer { store.close() }
        let path = folder.path + "/" + AuditAnchor.fileName
        let original = try String(contentsOfFile: path, encoding: .utf8)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/" + AuditAnchor.keyFileName))
        try AuditAnchor.raise(folder: folder.path, to: AuditHead(entries: 2, hash: "x"))
        #expect(try AuditAnchor.read(folder: folder.path)?.entries == 4)
        try original.replacingOccurrences(of: #""entries":4"#, with: #""entries":2"#)
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: AuditAnchor.Refusal.self) { try AuditAnchor.read(folder: folder.path) }
        // The next audited commit does not paper over it: the edited file stays, still refused.
        let result = await withCheckedContinuation { continuation in
            store.committer.submit([.audit(Self.record(5))]) { continuation.resume(returning: $0) }
        }
        try result.get()
        #expect(throws: AuditAnchor.Refusal.self) { try AuditAnchor.read(folder: folder.path) }
    }

    @Test func theOperatorsAccountsAreAudited() throws {
        let folder = try TemporaryFolder()
        let store = try Store(folder: folder.path)
        defer { store.close() }
        let (account, _) = try store.createAccount(name: "Dana", kind: .facilitator, at: Timestamp(milliseconds: 9))
        let entries = try store.auditEntries()
        #expect(entries.map(\.record.action) == [.accountCreated])
        #expect(entries.first?.record.target == account.id.rawValue)
        #expect(entries.first?.record.actor == nil)
    }
}

extension AuditChain.Verdict {
    var isIntact: Bool { if case .intact = self { true } else { false } }
}
