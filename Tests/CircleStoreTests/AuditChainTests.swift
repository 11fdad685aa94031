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
