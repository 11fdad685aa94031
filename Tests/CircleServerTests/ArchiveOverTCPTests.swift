import CircleArchive
import CircleClient
import CircleCore
import CircleProtocol
import CircleStore
import CircleTestSupport
import CircleUI
import Foundation
import Testing

@testable import CircleServer

/// Archives end to end: written at a session's close, exported over TCP, verified, imported
/// into a fresh server, encrypted, purged by retention.
@Suite struct ArchiveOverTCPTests {
    /// A session with chat and a check-in round, closed; returns the scenario with Sam.
    static func closedSession(on server: TestServer) async throws -> (RoomScenario, TestClient) {
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        try await scenario.join(sam)
        let _: Reply.Appended = try await sam.request(.goalSet(.init(room: scenario.room, text: "Walk daily")))
        try await scenario.say(scenario.facilitator, "Welcome.")
        let _: Reply.Appended = try await scenario.facilitator.request(
            .roundStart(.init(room: scenario.room, prompt: "How was the week?")))
        let _: Reply.Appended = try await sam.request(
            .checkIn(
                .init(
                    room: scenario.room, ratings: [.init(goal: GoalID("g1"), progress: 7)],
                    commitment: "Walk before work")))
        try await scenario.say(sam, "Thanks, all.")
        let _: Reply.Appended = try await scenario.facilitator.request(.sessionClose(.init(room: scenario.room)))
        try await server.waitForArchive(room: scenario.room, session: 1)
        return (scenario, sam)
    }

    static func download(
        _ request: Request, room: RoomID, by client: TestClient, to path: String, passphrase: String? = nil
    ) async throws {
        let ready: Reply.ArchiveReady = try await client.request(request)
        try await ArchiveDownload.download(ready, room: room, over: client.connection, to: path, passphrase: passphrase)
    }

    @Test func aClosedSessionIsArchivedExportedVerifiedAndImportedIntoAFreshServer() async throws {
        let server = try await TestServer.start()
        let (scenario, sam) = try await Self.closedSession(on: server)
        let entry = try #require(try server.store.archiveEntry(room: scenario.room, session: 1))
        #expect(entry.verifiedAt != nil && entry.firstSeq == 1)
        #expect(FileManager.default.fileExists(atPath: server.folder.path + "/" + entry.file))

        let out = try TemporaryFolder()
        let path = out.path + "/session-1.circle.gz"
        #expect(await sam.refusal(.archiveExport(.init(room: scenario.room, session: 1))) == .forbidden)
        try await Self.download(
            .archiveExport(.init(room: scenario.room, session: 1)), room: scenario.room, by: scenario.facilitator,
            to: path)
        var checkIns: [ArchiveCheckIn] = []
        let result = try ArchiveReader.read(path: path) { record in
            if case .checkIn(let checkIn) = record { checkIns.append(checkIn) }
        }
        #expect(result.header.scope == .session && result.header.counts.events == entry.events)
        #expect(checkIns.first?.checkIn.commitment == "Walk before work")
        #expect(try server.store.auditEntries(room: scenario.room).map(\.record.action).contains(.archiveExported))
        let original = try server.store.events(
            room: scenario.room, after: 0, through: entry.lastSeq, viewer: nil, limit: 10_000
        ).map { try $0.decoded() }

        // A fresh data folder takes the archive; twice changes nothing; a server starts on it.
        let fresh = try TemporaryFolder()
        let restored = try Store(folder: fresh.path, durability: .normal)
        let now = SystemClock().now()
        let first = try ArchiveImporter.importArchive(path: path, passphrase: nil, into: restored, at: now)
        let again = try ArchiveImporter.importArchive(path: path, passphrase: nil, into: restored, at: now)
        #expect(first.added == original.count && again.added == 0 && again.alreadyThere == original.count)
        let copied = try restored.events(room: scenario.room, after: 0, through: nil, viewer: nil, limit: 10_000)
            .map { try $0.decoded() }
        #expect(copied == original)
        restored.close()
        let second = try await TestServer.start(folder: fresh)
        let token = try second.addFacilitator("Operator")
        let client = try await second.connect(token: token)
        #expect(await client.refusal(.join(.init(room: scenario.room))) == .notAMember)
        await client.close()
        try await second.stop()

        for client in [sam, scenario.facilitator] { await client.close() }
        try await server.stop()
    }

    @Test func theMinutesKeepTheirSectionsInOrderAndMarkARemovedMessage() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        try await scenario.join(sam)
        let _: Reply.Appended = try await sam.request(.goalSet(.init(room: scenario.room, text: "Walk daily")))
        let unkind = try await scenario.say(sam, "Something unkind.")
        try await scenario.say(sam, "Sorry, all.")
        let _: Reply.Appended = try await scenario.facilitator.request(
            .messageRemove(.init(room: scenario.room, seq: unkind.seq, reason: "against the agreements")))
        let _: Reply.Appended = try await scenario.facilitator.request(
            .roundStart(.init(room: scenario.room, prompt: "How was the week?")))
        let _: Reply.Appended = try await sam.request(
            .checkIn(.init(room: scenario.room, ratings: [.init(goal: GoalID("g1"), progress: 7)])))
        let _: Reply.Appended = try await scenario.facilitator.request(.sessionClose(.init(room: scenario.room)))
        try await server.waitForArchive(room: scenario.room, session: 1)
        let folder = try TemporaryFolder()
        let path = folder.path + "/session-1.circle.gz"
        try await Self.download(
            .archiveExport(.init(room: scenario.room, session: 1)), room: scenario.room, by: scenario.facilitator,
            to: path)

        let minutes = try ArchiveTranscript.of(path: path, passphrase: nil, markdown: true)
        let headings = minutes.split(separator: "\n").filter { $0.hasPrefix("#") }.map { String($0.prefix(14)) }
        #expect(
            headings == ["# Tuesday grou", "## Agreements ", "## Members", "## Conversatio", "## Check-ins"],
            "\(minutes)")
        let removed = try #require(minutes.split(separator: "\n").first { $0.contains("Something unkind.") })
        #expect(removed.contains(/\ \ \[removed at \d\d:\d\d by Dana: against the agreements\]$/), "\(removed)")
        #expect(!minutes.split(separator: "\n").contains { $0.contains("Sorry, all.") && $0.contains("[removed") })
        let plain = try ArchiveTranscript.of(path: path, passphrase: nil, markdown: false)
        #expect(plain.contains("Something unkind.  [removed at"), "\(plain)")
        try await server.stop()
    }

    @Test func aWholeRoomExportRoundTripsAndAMemberExportHoldsOnlyTheirOwn() async throws {
        let server = try await TestServer.start()
        let (scenario, sam) = try await Self.closedSession(on: server)
        let _: Reply.JournalAdded = try await sam.request(.journalAdd(.init(kind: .win, text: "Walked in the rain")))
        let out = try TemporaryFolder()
        let roomPath = out.path + "/room.circle.gz"
        try await Self.download(
            .archiveExport(.init(room: scenario.room)), room: scenario.room, by: scenario.facilitator, to: roomPath)
        let fresh = try TemporaryFolder()
        let restored = try Store(folder: fresh.path, durability: .normal)
        _ = try ArchiveImporter.importArchive(path: roomPath, passphrase: nil, into: restored, at: SystemClock().now())
        let original = try server.store.events(room: scenario.room, after: 0, through: nil, viewer: nil, limit: 10_000)
        let copied = try restored.events(room: scenario.room, after: 0, through: nil, viewer: nil, limit: 10_000)
        #expect(try copied.map { try $0.decoded() } == original.map { try $0.decoded() })
        restored.close()

        let minePath = out.path + "/mine.circle.gz"
        let ready: Reply.ArchiveReady = try await sam.request(.archiveMine(.init(room: scenario.room)))
        #expect(
            await scenario.facilitator.refusal(.archiveRead(.init(room: scenario.room, file: ready.file, offset: 0)))
                == .forbidden)
        try await ArchiveDownload.download(
            ready, room: scenario.room, over: sam.connection, to: minePath, passphrase: nil)
        // Downloaded, the member's export is gone from the server's disk.
        let exports = try FileManager.default.contentsOfDirectory(
            atPath: server.folder.path + "/archives/" + scenario.room.rawValue)
        #expect(!exports.contains(ready.file))
        #expect(
            await sam.refusal(.archiveRead(.init(room: scenario.room, file: ready.file, offset: 0))) == .badField)
        var actors: Set<AccountID?> = []
        var members: [String] = []
        var journal: [String] = []
        let mine = try ArchiveReader.read(path: minePath) { record in
            switch record {
            case .event(let event): actors.insert(event.actor)
            case .member(let member): members.append(member.name)
            case .journal(let entry): journal.append(entry.text)
            default: break
            }
        }
        #expect(mine.header.scope == .member && members == ["Sam"] && journal == ["Walked in the rain"])
        #expect(actors.count == 1 && mine.header.counts.goals == 1 && mine.header.counts.checkIns == 1)
        #expect(
            throws: CircleError.self,
            performing: {
                try ArchiveImporter.importArchive(
                    path: minePath, passphrase: nil, into: server.store, at: SystemClock().now())
            })
        for client in [sam, scenario.facilitator] { await client.close() }
        try await server.stop()
    }

    /// A member's own export names nobody else anywhere: not in the turn its check-in began,
    /// the round's summary, the other end of a private message, nor the room's owner. The whole
    /// file, decompressed, is searched for every other member's id and name.
    @Test func aMembersOwnExportHoldsNoOtherMembersIdOrName() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, samToken) = try await scenario.member("Sam")
        let (kim, kimToken) = try await scenario.member("Kimberly")
        let samID = try #require(try server.store.account(forToken: samToken)).id
        let kimID = try #require(try server.store.account(forToken: kimToken)).id
        let danaToken = try #require(scenario.facilitatorToken)
        let danaID = try #require(try server.store.account(forToken: danaToken)).id
        try await scenario.join(sam)
        try await scenario.join(kim)
        let _: Reply.Appended = try await scenario.facilitator.request(
            .roundStart(.init(room: scenario.room, prompt: "How was the week?")))
        // Sam's check-in ends Sam's turn and begins Kimberly's: events of Sam's naming her.
        let _: Reply.Appended = try await sam.request(.checkIn(.init(room: scenario.room, commitment: "Rest")))
        let _: Reply.Appended = try await scenario.facilitator.request(
            .dmAllow(.init(room: scenario.room, allowed: true)))
        let _: Reply.Appended = try await sam.request(.dm(.init(room: scenario.room, to: kimID, text: "thank you")))
        let _: Reply.Appended = try await sam.request(.dm(.init(room: scenario.room, text: "a word, later?")))
        let out = try TemporaryFolder()
        let path = out.path + "/mine.circle.gz"
        try await Self.download(.archiveMine(.init(room: scenario.room)), room: scenario.room, by: sam, to: path)
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", path]
        let pipe = Pipe()
        gunzip.standardOutput = pipe
        try gunzip.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        gunzip.waitUntilExit()
        #expect(text.contains(samID.rawValue) && text.contains("thank you"), "the export is empty")
        for other in [kimID.rawValue, danaID.rawValue, "Kimberly", "Dana"] {
            #expect(!text.contains(other), "\(other) is in Sam's own export")
        }
        for client in [sam, kim, scenario.facilitator] { await client.close() }
        try await server.stop()
    }

    @Test func anEncryptedExportOpensOnlyWithItsPassphrase() async throws {
        let server = try await TestServer.start()
        let (scenario, sam) = try await Self.closedSession(on: server)
        let out = try TemporaryFolder()
        let path = out.path + "/sealed.circle.sealed"
        try await Self.download(
            .archiveExport(.init(room: scenario.room, session: 1)), room: scenario.room, by: scenario.facilitator,
            to: path, passphrase: "long enough phrase")
        #expect(throws: ArchiveError.wrongPassphrase) {
            try ArchiveReader.read(path: path, passphrase: "not the phrase", depth: .structure)
        }
        let opened = try ArchiveReader.read(path: path, passphrase: "long enough phrase", depth: .structure)
        #expect(opened.encrypted && opened.header.session == 1)
        for client in [sam, scenario.facilitator] { await client.close() }
        try await server.stop()
    }

    @Test func retentionPurgesOnlyVerifiedArchivesAndNeverARoomOnHold() async throws {
        let folder = try TemporaryFolder()
        let clock = ManualClock(now: SystemClock().now())
        let server = try await TestServer.start(folder: folder, clock: clock)
        let (scenario, sam) = try await Self.closedSession(on: server)
        // Session 2 is open, so it has no archive: it is never purged.
        let _: Reply.Appended = try await scenario.facilitator.request(.sessionOpen(.init(room: scenario.room)))
        try await scenario.say(scenario.facilitator, "Session two.")
        let entry = try #require(try server.store.archiveEntry(room: scenario.room, session: 1))
        let context = server.server.context

        try server.store.setLegalHold(room: scenario.room, held: true, reason: "court order", at: clock.now())
        // Retention with no days kept purges what closed before now.
        clock.advance(by: 1_000)
        #expect(context.purgeExpired(days: 0) == 0)
        #expect(try server.store.eventCount(room: scenario.room, through: entry.lastSeq) == entry.events)

        try server.store.setLegalHold(room: scenario.room, held: false, reason: "lifted", at: SystemClock().now())
        // An archive that no longer matches what was recorded is not trusted with a purge.
        let path = server.folder.path + "/" + entry.file
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        var bad = good
        bad[bad.count / 2] ^= 1
        try bad.write(to: URL(fileURLWithPath: path))
        #expect(context.purgeExpired(days: 0) == 0)
        try good.write(to: URL(fileURLWithPath: path))
        #expect(context.purgeExpired(days: 0) == 1)
        #expect(try server.store.eventCount(room: scenario.room, through: entry.lastSeq) == 0)
        #expect(try server.store.eventCount(room: scenario.room) > 0)
        let actions = try server.store.auditEntries(room: scenario.room).map(\.record.action)
        #expect(actions.contains(.legalHoldSet) && actions.contains(.sessionPurged))
        for client in [sam, scenario.facilitator] { await client.close() }
        try await server.stop()

        // After a restart the room is rebuilt, purged session read back from its archive.
        let again = try await TestServer.start(folder: folder)
        let token = try #require(scenario.facilitatorToken)
        let dana = try await again.connect(token: token)
        let joined: Reply.Joined = try await dana.request(.join(.init(room: scenario.room)))
        #expect(joined.session == 2 && joined.members.count == 2)
        let progress: MemberProgress = try await dana.request(
            .progress(.init(room: scenario.room, member: joined.members.first { $0.name == "Sam" }?.id)))
        #expect(progress.goals.first?.points.map(\.progress) == [7])
        await dana.close()
        try await again.stop()
    }

    @Test func aResumeOrHistoryIntoAPurgedSessionSaysWhereItIsKept() async throws {
        let clock = ManualClock(now: SystemClock().now())
        let server = try await TestServer.start(clock: clock)
        let (scenario, sam) = try await Self.closedSession(on: server)
        let _: Reply.Appended = try await scenario.facilitator.request(.sessionOpen(.init(room: scenario.room)))
        try await scenario.say(scenario.facilitator, "Session two.")
        let entry = try #require(try server.store.archiveEntry(room: scenario.room, session: 1))
        clock.advance(by: 1_000)
        #expect(server.server.context.purgeExpired(days: 0) == 1)
        let span = PurgedSpan(
            room: scenario.room, session: 1, first: entry.firstSeq, last: entry.lastSeq, archive: entry.file)

        // A resume from the start is told of the purged session before the first live event.
        let token = try #require(scenario.facilitatorToken)
        let dana = try await server.connect(token: token)
        let joined: Reply.Joined = try await dana.request(.join(.init(room: scenario.room, since: 0)))
        try await dana.waitForEvent(seq: joined.through)
        let pushed = dana.frames.compactMap { frame -> Int64? in
            switch frame {
            case .purged(let said): said == span ? 0 : -1
            case .event(let event): event.room == scenario.room ? event.seq : nil
            default: nil
            }
        }
        #expect(pushed.first == 0, "\(pushed)")
        #expect(pushed.dropFirst().allSatisfy { $0 > entry.lastSeq })
        // A resume that starts after the purged span hears nothing of it.
        let later = try await server.connect(token: token)
        let _: Reply.Joined = try await later.request(.join(.init(room: scenario.room, since: entry.lastSeq)))
        try await later.waitForEvent(seq: joined.through)
        #expect(!later.frames.contains { if case .purged = $0 { true } else { false } })

        // History pages that reach into it name it, forward and back; one beside it does not.
        let back: Reply.History = try await dana.request(.history(.init(room: scenario.room, limit: 50)))
        #expect(back.purged == [span] && !back.more)
        #expect(back.items.first == .purged(span))
        let forward: Reply.History = try await dana.request(.history(.init(room: scenario.room, after: 0)))
        #expect(forward.purged == [span])
        let beside: Reply.History = try await dana.request(
            .history(.init(room: scenario.room, after: entry.lastSeq)))
        #expect(beside.purged == nil)

        // The one-shot client prints the sentence in the span's place.
        let circle = try Executable("circle")
        let home = try TemporaryFolder()
        let printed = try await circle.run(
            ["history", scenario.room.rawValue, "--since", "0"],
            environment: [
                "XDG_CONFIG_HOME": home.path, "CIRCLE_SERVER": "127.0.0.1:\(server.port)", "CIRCLE_TOKEN": token,
            ])
        #expect(printed.status == 0, "\(printed.stderr)")
        let lines = printed.stdout.split(separator: "\n")
        #expect(
            lines.first?.contains("Session 1 (events \(entry.firstSeq)–\(entry.lastSeq)) is no longer on the server")
                == true)
        #expect(lines.first?.contains(entry.file) == true)
        for client in [sam, scenario.facilitator, dana, later] { await client.close() }
        try await server.stop()
    }
}
