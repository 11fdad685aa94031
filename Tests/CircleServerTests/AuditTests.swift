import CircleArchive
import CircleClient
import CircleCore
import CircleProtocol
import CircleStore
import Foundation
import Testing

@Suite struct AuditTests {
    @Test func signInsAndRoomChangesAreAuditedInOrder() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        let stranger = try await server.openRaw()
        #expect(await stranger.refusal(.hello(.init(token: "ct_guess"))) == .badToken)
        let _: Reply.Appended = try await scenario.facilitator.request(.sessionClose(.init(room: scenario.room)))
        // The session's archive is written after the close, and audited when it is recorded.
        try await server.waitForArchive(room: scenario.room, session: 1)
        await server.store.committer.flush()

        let actions = try server.store.auditEntries().map(\.record.action)
        #expect(
            actions == [
                .accountCreated, .login, .roomCreated, .inviteCreated, .sessionOpened, .accountCreated, .memberJoined,
                .loginFailed, .sessionClosed, .archiveWritten,
            ])
        let roomEntries = try server.store.auditEntries(room: scenario.room)
        #expect(roomEntries.allSatisfy { $0.record.room == scenario.room })
        #expect(roomEntries.count == 6)
        // The session's archive records the trail's head as it was written: one more witness,
        // held against the trail with the folder's own anchor.
        let entry = try #require(try server.store.archiveEntry(room: scenario.room, session: 1))
        let header = try ArchiveReader.read(path: server.store.folder + "/" + entry.file).header
        #expect(header.audit?.entries == Int64(actions.count - 1))
        let anchor = try #require(try AuditAnchor.read(folder: server.store.folder))
        #expect(anchor == (try server.store.auditHead()))
        let witnesses = [
            AuditChain.Witness(head: try #require(header.audit), source: entry.file),
            AuditChain.Witness(head: anchor, source: "the anchor"),
        ]
        guard case .intact = try server.store.verifyAudit(against: witnesses) else {
            Issue.record("the trail did not verify")
            return
        }
        // Facilitators read their room's entries over the wire; participants may not.
        let audit: Reply.Audit = try await scenario.facilitator.request(.auditList(.init(room: scenario.room)))
        #expect(audit.entries.map(\.action) == roomEntries.map(\.record.action.rawValue))
        #expect(await sam.refusal(.auditList(.init(room: scenario.room))) == .forbidden)
        for client in [sam, stranger, scenario.facilitator] { await client.close() }
        try await server.stop()
    }
}
