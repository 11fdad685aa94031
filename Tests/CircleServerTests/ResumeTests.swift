import CircleClient
import CircleCore
import CircleProtocol
import CircleTestSupport
import Foundation
import Synchronization
import Testing

@Suite struct ResumeTests {
    @Test func aReconnectingMemberGetsExactlyWhatItMissed() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, token) = try await scenario.member("Sam")
        try await scenario.join(sam)
        let before = try await scenario.say(scenario.facilitator, "before the drop")
        try await sam.waitForEvent(seq: before.seq)
        let lastSeen = sam.events.last!.seq
        sam.connection.abort()

        for index in 0..<15 { try await scenario.say(scenario.facilitator, "missed \(index)") }
        let back = try await server.connect(token: token)
        let joined = try await scenario.join(back, since: lastSeen)
        // Live traffic while the backlog is being sent must neither be lost nor repeated.
        let live = try await scenario.say(scenario.facilitator, "live after resume")
        try await back.waitForEvent(seq: live.seq)

        let seqs = back.events.map(\.seq)
        #expect(seqs == Array((lastSeen + 1)...live.seq))
        #expect(joined.through >= lastSeen + 15)
        await back.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func resumingWhileOthersKeepTalkingLeavesNoGapOrDuplicate() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, token) = try await scenario.member("Sam")
        await sam.close()
        let said = Atomic<Int>(0)
        let talker = Task {
            for index in 0..<200 {
                try await scenario.say(scenario.facilitator, "steady \(index)")
                said.add(1, ordering: .relaxed)
            }
        }
        var clients: [TestClient] = []
        // Resumes spread over the talk: each after twenty more messages.
        for index in 0..<5 {
            while said.load(ordering: .relaxed) < 20 * index { try await Task.sleep(for: .milliseconds(2)) }
            let client = try await server.connect(token: token)
            try await scenario.join(client, since: 0)
            clients.append(client)
        }
        try await talker.value
        let last = try await scenario.say(scenario.facilitator, "the end")
        for client in clients {
            try await client.waitForEvent(seq: last.seq)
            // Everything but #3, the facilitators' invite event.
            #expect(client.events.map(\.seq) == Array(1...last.seq).filter { seq in seq != 3 })
            await client.close()
        }
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func aMessageResentWithTheSameClientIDIsStoredOnce() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, token) = try await scenario.member("Sam")
        let first = try await scenario.say(sam, "I said this once", cid: "msg-1")
        sam.connection.abort()
        let back = try await server.connect(token: token)
        let again = try await scenario.say(back, "I said this once", cid: "msg-1")
        #expect(again.seq == first.seq)
        #expect(again.duplicate)
        #expect(!first.duplicate)
        let history: Reply.History = try await back.request(.history(.init(room: scenario.room, limit: 100)))
        let copies = history.events.filter { $0.body == .message(text: "I said this once", clientID: "msg-1") }
        #expect(copies.count == 1)
        await back.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func joiningShowsABoundedRecentHistoryAndOlderPagesOnRequest() async throws {
        let server = try await TestServer.start { $0.joinHistory = 5 }
        let scenario = try await RoomScenario.start(on: server)
        for index in 0..<20 { try await scenario.say(scenario.facilitator, "message \(index)") }
        let (sam, _) = try await scenario.member("Sam")
        let joined = try await scenario.join(sam)
        try await sam.waitForEvent(seq: joined.through)
        // History up to `through`; after it, live events (such as Sam's arrival) follow.
        #expect(sam.events.map(\.seq).filter { $0 <= joined.through } == Array((joined.through - 4)...joined.through))

        let page: Reply.History = try await sam.request(
            .history(.init(room: scenario.room, before: joined.through - 4, limit: 10)))
        #expect(page.events.map(\.seq) == Array((joined.through - 14)...(joined.through - 5)))
        #expect(page.more)
        let first: Reply.History = try await sam.request(.history(.init(room: scenario.room, before: 4, limit: 10)))
        #expect(first.events.map(\.seq) == [1, 2])  // #3 is the facilitators' invite event
        #expect(!first.more)
        let after: Reply.History = try await sam.request(.history(.init(room: scenario.room, after: 20, limit: 3)))
        #expect(after.events.map(\.seq) == [21, 22, 23])
        #expect(after.more)
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func everythingIsStillThereAfterARestart() async throws {
        let folder = try TemporaryFolder()
        let server = try await TestServer.start(folder: folder)
        let scenario = try await RoomScenario.start(on: server)
        let (sam, token) = try await scenario.member("Sam")
        let said = try await scenario.say(sam, "remember this", cid: "keep-1")
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()

        let restarted = try await TestServer.start(folder: folder)
        let back = try await restarted.connect(token: token)
        let history: Reply.History = try await back.request(.history(.init(room: scenario.room)))
        #expect(history.events.last?.seq == said.seq)
        // The room's state came back from its log: the session is still open, and the client
        // id is still remembered.
        let again = try await scenario.say(back, "remember this", cid: "keep-1")
        #expect(again.duplicate && again.seq == said.seq)
        let next = try await scenario.say(back, "and this")
        #expect(next.seq == said.seq + 1)
        await back.close()
        try await restarted.stop()
    }
}

/// A member cannot stop the server's writes by re-sending an old client id.
@Suite struct ClientIDAttackTests {
    @Test func anIDOlderThanTheRoomRemembersIsStillADuplicateAndEveryRoomGoesOnWriting() async throws {
        let folder = try TemporaryFolder()
        var server = try await TestServer.start(folder: folder)
        let scenario = try await RoomScenario.start(on: server)
        let (sam, token) = try await scenario.member("Sam")
        // Through a private message to the facilitators, which even a muted member may send.
        let first: Reply.Appended = try await sam.request(
            .dm(.init(room: scenario.room, text: "private 0", cid: "dm-0")))
        for index in 1...RecentClientIDs.capacity {
            let _: Reply.Appended = try await sam.request(
                .dm(.init(room: scenario.room, text: "private \(index)", cid: "dm-\(index)")))
        }
        let again: Reply.Appended = try await sam.request(
            .dm(.init(room: scenario.room, text: "private 0", cid: "dm-0")))
        #expect(again.duplicate)
        #expect(again.seq == first.seq)
        let said = try await scenario.say(sam, "still here", cid: "say-1")
        #expect(!said.duplicate)

        // Another room writes too.
        let other: Reply.RoomCreated = try await scenario.facilitator.request(.roomCreate(.init(name: "Thursday")))
        let _: Reply.Appended = try await scenario.facilitator.request(.sessionOpen(.init(room: other.room)))
        let _: Reply.Appended = try await scenario.facilitator.request(
            .say(.init(room: other.room, text: "Thursday is fine")))

        // After a restart the room has read back only the last few ids; the log still knows.
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
        server = try await TestServer.start(folder: folder)
        let back = try await server.connect(token: token)
        let afterRestart: Reply.Appended = try await back.request(
            .dm(.init(room: scenario.room, text: "private 0", cid: "dm-0")))
        #expect(afterRestart.duplicate)
        #expect(afterRestart.seq == first.seq)
        let copies = try server.store.eventCount(room: scenario.room)
        let history: Reply.Appended = try await back.request(
            .say(.init(room: scenario.room, text: "and after the restart", cid: "say-2")))
        #expect(history.seq > first.seq)
        #expect(try server.store.eventCount(room: scenario.room) == copies + 1)
        #expect(server.store.committer.stats.failures == 0)
        await back.close()
        try await server.stop()
    }
}
