import CircleClient
import CircleCore
import CircleProtocol
import CircleStore
import CircleTestSupport
import Foundation
import GRDB
import NIOCore
import Testing

@testable import CircleServer

/// The limits that keep one person or address from costing everyone else, and the ways a
/// sign-in ends: idle logoff and revoked tokens.
@Suite struct LimitsTests {
    @Test func aConnectionThatRequestsTooFastIsToldWhenToRetry() async throws {
        // The bucket refills on the injected clock, which moves only when the test says.
        let clock = ManualClock(now: SystemClock().now())
        let server = try await TestServer.start(clock: clock) {
            $0.requestsPerSecond = 2
            $0.requestBurst = 3
        }
        let client = try await server.connect()
        var refused: [ErrorCode] = []
        for _ in 0..<12 {
            if let code = await client.refusal(.ping) { refused.append(code) }
        }
        #expect(!refused.isEmpty && refused.allSatisfy { $0 == .rateLimited })
        do {
            _ = try await client.connection.send(.ping)
        } catch ClientError.server(let error) {
            #expect(error.message.contains("try again in"))
        }
        clock.advance(by: 500)
        #expect(await client.refusal(.ping) == nil)
        #expect(await client.refusal(.ping) == .rateLimited)
        await client.close()
        try await server.stop()
    }

    /// The documented largest page (500 messages of 4,000 characters) is sent in pages that fit
    /// the reader's connection, each saying there is more, and none is lost between them.
    @Test func aHistoryPageFitsTheConnectionWhateverItAsksFor() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let long = String(repeating: "界", count: TextRules.maxMessageLength)
        var said: [Int64] = []
        for _ in 0..<ServerConfiguration().maxHistoryPage {
            said.append(try await scenario.say(scenario.facilitator, long).seq)
        }
        let (sam, _) = try await scenario.member("Sam")
        var seen: [Int64] = []
        var before: Int64?
        var pages = 0
        while true {
            let page: Reply.History = try await sam.request(
                .history(.init(room: scenario.room, before: before, limit: 500)))
            pages += 1
            seen = page.events.map(\.seq) + seen
            guard page.more, let first = page.events.first else { break }
            before = first.seq
        }
        #expect(pages > 1)
        #expect(Set(said).isSubset(of: Set(seen)))
        #expect(seen == seen.sorted() && Set(seen).count == seen.count)
        // Forward too, and the connection is still open after all of it.
        let forward: Reply.History = try await sam.request(.history(.init(room: scenario.room, after: 0, limit: 500)))
        #expect(forward.more && !forward.events.isEmpty)
        let _: Reply.Done = try await sam.request(.ping)
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    /// A guesser is slowed by address, not only by connection, and costs the audit trail one
    /// entry per address per interval (and a summary), not one fsynced row per guess.
    @Test func failedSignInsAreLimitedPerAddressAndAuditedOncePerInterval() async throws {
        let server = try await TestServer.start {
            $0.loopbackIsExempt = false
            $0.failedSignInsPerAddress = 3
            $0.failedSignInsPerConnection = 2
        }
        let token = try server.addFacilitator()
        let first = try await server.openRaw()
        #expect(await first.refusal(.hello(.init(token: "ct_guess1"))) == .badToken)
        #expect(await first.refusal(.hello(.init(token: "ct_guess2"))) == .badToken)
        try await first.waitUntilClosed()
        let second = try await server.openRaw()
        let _: Reply.Hello = try await second.request(.hello(.init()))
        #expect(await second.refusal(.redeem(.init(code: "AAAAA-BBBBB", name: "Guess"))) == .badInvite)
        // The address has used its failures: even the right token waits for the interval.
        let third = try await server.openRaw()
        #expect(await third.refusal(.hello(.init(token: token))) == .rateLimited)
        #expect(await second.refusal(.redeem(.init(code: "AAAAA-BBBBC", name: "Guess"))) == .rateLimited)
        await third.close()
        let loginFailures = { () throws -> [AuditRecord] in
            try server.store.auditEntries(limit: 1000).map(\.record).filter { $0.action == .loginFailed }
        }
        #expect(try loginFailures().count == 1)
        await second.close()
        try await server.stop()
        let audited = try loginFailures()
        #expect(audited.count == 2)
        #expect(audited.last?.detail.hasPrefix("2 more failed sign-ins") == true)
        #expect(audited.allSatisfy { $0.target == "127.0.0.1" })
    }

    @Test func aFullRoomTakesNoOneMore() async throws {
        let server = try await TestServer.start { $0.maxMembersPerRoom = 3 }
        let scenario = try await RoomScenario.start(on: server)
        _ = try await scenario.member("Sam")
        _ = try await scenario.member("Kim")
        let late = try await server.connect()
        #expect(await late.refusal(.redeem(.init(code: scenario.code, name: "Lee"))) == .roomFull)
        await late.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func aSilentSignedInConnectionIsLoggedOff() async throws {
        let clock = ManualClock(now: SystemClock().now())
        let server = try await TestServer.start(clock: clock) { $0.idleLogoffSeconds = 60 }
        let token = try server.addFacilitator()
        let client = try await server.connect(token: token)
        clock.advance(by: 59_000)
        let _: Reply.Done = try await client.request(.ping)
        // A minute after the ping, not after connecting.
        clock.advance(by: 59_000)
        let _: Reply.Done = try await client.request(.ping)
        clock.advance(by: 60_000)
        try await client.waitUntil(seconds: 10) { client in
            client.frames.contains { if case .bye(let reason) = $0 { reason.code == .idleLogoff } else { false } }
        }
        try await client.waitUntilClosed()
        try await server.stop()
    }

    /// A member who only listens to an open session is present, not away: idle logoff passes
    /// them by, and signs them off once the session has closed.
    @Test func idleLogoffNeverSignsOutAMemberInAnOpenSession() async throws {
        let clock = ManualClock(now: SystemClock().now())
        let server = try await TestServer.start(clock: clock) { $0.idleLogoffSeconds = 60 }
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        try await scenario.join(sam)
        // Over two logoff times of silence from Sam while the facilitator talks now and then.
        // Each step waits until every timer the clock woke is asleep again, so Sam's has been
        // asked, and has let him be, before time moves on.
        let timers = clock.sleeping
        for index in 0..<9 {
            clock.advance(by: 20_000)
            try await clock.untilAsleep(timers)
            try await scenario.say(scenario.facilitator, "still talking \(index)")
        }
        #expect(!sam.frames.contains { if case .bye = $0 { true } else { false } })
        let _: Reply.Appended = try await scenario.facilitator.request(.sessionClose(.init(room: scenario.room)))
        clock.advance(by: 60_000)
        try await sam.waitUntil(seconds: 10) { client in
            client.frames.contains { if case .bye(let reason) = $0 { reason.code == .idleLogoff } else { false } }
        }
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func aRevokedTokenStopsWorkingAtOnceOnEveryConnection() async throws {
        let clock = ManualClock(now: SystemClock().now())
        let server = try await TestServer.start(clock: clock)
        let scenario = try await RoomScenario.start(on: server)
        let (sam, token) = try await scenario.member("Sam")
        let second = try await server.connect(token: token)
        let _: Reply.Done = try await sam.request(.tokenRevoke)
        for client in [sam, second] {
            try await client.waitUntil { client in
                client.frames.contains { if case .bye(let reason) = $0 { reason.code == .tokenRevoked } else { false } }
            }
            try await client.waitUntilClosed()
        }
        let again = try await server.openRaw()
        #expect(await again.refusal(.hello(.init(token: token))) == .badToken)

        // The operator revokes from another process: the watcher (a service, on the server's
        // clock) notices at its next look, two seconds on; the test moves the clock there.
        let dana = try await server.connect(token: scenario.facilitatorToken)
        let account = try #require(dana.hello?.account?.id)
        try server.store.revokeTokens(account: account, by: nil, at: clock.now())
        try await clock.untilSomeoneSleeps()
        #expect(!dana.frames.contains { if case .bye = $0 { true } else { false } })
        clock.advance(by: 2000)
        try await dana.waitUntil(seconds: 5) { client in
            client.frames.contains { if case .bye(let reason) = $0 { reason.code == .tokenRevoked } else { false } }
        }
        #expect(try server.store.auditEntries().map(\.record.action).filter { $0 == .tokenRevoked }.count == 2)
        for client in [again, dana, scenario.facilitator] { await client.close() }
        try await server.stop()
    }

    @Test func onlyOtherAddressesAreCountedAndEachHasItsLimit() async throws {
        #expect(CircleServer.limitedIP(try #require(SocketAddress(ipAddress: "127.0.0.1", port: 1).ipAddress)) == nil)
        #expect(CircleServer.limitedIP(try #require(SocketAddress(ipAddress: "::1", port: 1).ipAddress)) == nil)
        #expect(
            CircleServer.limitedIP(try #require(SocketAddress(ipAddress: "10.0.0.7", port: 1).ipAddress)) == "10.0.0.7")
        let server = try await TestServer.start { $0.maxConnectionsPerIP = 2 }
        let context = server.server.context
        #expect(context.admit("10.0.0.7") && context.admit("10.0.0.7"))
        #expect(!context.admit("10.0.0.7"))
        #expect(context.admit("10.0.0.8"))
        context.release("10.0.0.7")
        #expect(context.admit("10.0.0.7"))
        try await server.stop()
    }

    @Test func aBackupIsTakenWhileTheServerRunsAndCheckedBeforeItIsRestored() async throws {
        let server = try await TestServer.start()
        let (scenario, sam) = try await ArchiveOverTCPTests.closedSession(on: server)
        let out = try TemporaryFolder()
        try server.store.backup(to: out.path + "/backup")
        let summary = try Store.checkBackup(out.path + "/backup")
        #expect(summary.contains("1 rooms") && summary.contains("audit trail intact"))
        #expect(
            FileManager.default.fileExists(atPath: out.path + "/backup/archives/\(scenario.room)/session-1.circle.gz"))
        #expect(throws: CircleError.self) { try server.store.backup(to: out.path + "/backup") }
        // The anchor travels with the copy: a backup whose newest audit rows were dropped is
        // refused, not restored.
        let anchored = try #require(try AuditAnchor.read(folder: out.path + "/backup"))
        let trimmed = try TemporaryFolder()
        try FileManager.default.copyItem(atPath: out.path + "/backup", toPath: trimmed.path + "/backup")
        let short = try DatabaseQueue(path: trimmed.path + "/backup/circle.sqlite")
        try await short.write { db in
            try db.execute(sql: "DELETE FROM audit WHERE id = ?", arguments: [anchored.entries])
        }
        try short.close()
        #expect(throws: CircleError.self) { try Store.checkBackup(trimmed.path + "/backup") }
        // An edited audit row is found before anything is restored.
        let copy = try DatabaseQueue(path: out.path + "/backup/circle.sqlite")
        try await copy.write { db in try db.execute(sql: "UPDATE audit SET detail = 'edited' WHERE id = 3") }
        try copy.close()
        #expect(throws: CircleError.self) { try Store.checkBackup(out.path + "/backup") }
        for client in [sam, scenario.facilitator] { await client.close() }
        try await server.stop()
    }
}

/// The per-address counting of failed sign-ins, on a clock the test moves.
@Suite struct SignInGuardTests {
    @Test func anAddressIsRefusedUntilItsIntervalEndsAndEachIntervalIsAuditedOnceAndSummed() {
        let guardian = SignInGuard(limit: 2, seconds: 60)
        let start = Timestamp(milliseconds: 1_000_000)
        #expect(guardian.failed("10.0.0.1", reason: "r", at: start).count == 1)
        #expect(guardian.retryAfter("10.0.0.1", at: start) == nil)
        #expect(guardian.failed("10.0.0.1", reason: "r", at: start.adding(seconds: 1)).isEmpty)
        #expect(guardian.retryAfter("10.0.0.1", at: start.adding(seconds: 1)) == 59)
        #expect(guardian.retryAfter("10.0.0.2", at: start.adding(seconds: 1)) == nil)
        #expect(guardian.retryAfter(nil, at: start.adding(seconds: 1)) == nil)
        // A new interval: its first failure is audited, with the summary of the last one.
        let later = guardian.failed("10.0.0.1", reason: "r", at: start.adding(seconds: 61))
        #expect(later.map(\.detail.first) == ["1", "r"])
        #expect(guardian.retryAfter("10.0.0.1", at: start.adding(seconds: 61)) == nil)
        #expect(guardian.flush(at: start.adding(seconds: 62)).isEmpty)
    }

    @Test func anIPv6HostIsCountedByItsSlash64() {
        let guardian = SignInGuard(limit: 2, seconds: 60)
        let now = Timestamp(milliseconds: 1_000_000)
        #expect(SignInGuard.key("2001:db8:1:2::5") == "2001:db8:1:2::/64")
        #expect(SignInGuard.key("10.0.0.1") == "10.0.0.1")
        _ = guardian.failed("2001:db8:1:2::5", reason: "r", at: now)
        _ = guardian.failed("2001:db8:1:2:ffff::9", reason: "r", at: now)
        #expect(guardian.retryAfter("2001:db8:1:2:aaaa::1", at: now) == 60)
        #expect(guardian.retryAfter("2001:db8:1:3::1", at: now) == nil)
    }
}
