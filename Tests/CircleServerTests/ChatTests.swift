import CircleClient
import CircleCore
import CircleProtocol
import Foundation
import Testing

@Suite struct ChatTests {
    @Test func membersSeeTheSameMessagesInTheSameOrder() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        let (kim, _) = try await scenario.member("Kim")
        for client in [scenario.facilitator, sam, kim] { try await scenario.join(client) }

        // The last message acknowledged to anyone; each connection must see up to it.
        let last = try await withThrowingTaskGroup(of: Int64.self) { group in
            for (client, name) in [(sam, "Sam"), (kim, "Kim"), (scenario.facilitator, "Dana")] {
                group.addTask {
                    var last: Int64 = 0
                    for index in 0..<20 { last = try await scenario.say(client, "\(name) \(index)").seq }
                    return last
                }
            }
            return try await group.reduce(0, max)
        }
        for client in [scenario.facilitator, sam, kim] { try await client.waitForEvent(seq: last) }

        let messages = { (client: TestClient) in
            client.events.filter { if case .message = $0.body { return true } else { return false } }
        }
        let reference = messages(scenario.facilitator)
        #expect(reference.count == 60)
        #expect(messages(sam) == reference)
        #expect(messages(kim) == reference)
        let seqs = reference.map(\.seq)
        #expect(seqs == Array(seqs.first!...seqs.last!))
        // Each sender's own messages keep the order they were sent in.
        for name in ["Sam", "Kim", "Dana"] {
            let texts = reference.compactMap { event -> String? in
                guard case .message(let text, _) = event.body, text.hasPrefix(name + " ") else { return nil }
                return text
            }
            #expect(texts == (0..<20).map { "\(name) \($0)" })
        }

        for client in [scenario.facilitator, sam, kim] { await client.close() }
        try await server.stop()
    }

    /// A plain `say` runs on the event loop, other requests on the connection's task: sent
    /// back to back in one write, they must still reach the log in the order they were sent.
    @Test func requestsKeepTheirOrderAcrossBothLanes() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let dana = scenario.facilitator
        let first = try await scenario.join(dana).through
        var bytes: [UInt8] = []
        for index in 0..<40 {
            let request: Request =
                index.isMultiple(of: 2)
                ? .roomTopic(.init(room: scenario.room, text: "topic \(index)"))
                : .say(.init(room: scenario.room, text: "say \(index)"))
            bytes += Array(try request.frame(id: Int64(1000 + index)).readableBytesView)
        }
        try await dana.connection.sendRaw(bytes)
        try await dana.waitForEvent(seq: first + 40)
        let texts = dana.events.filter { $0.seq > first }.compactMap { event -> String? in
            switch event.body {
            case .message(let text, _), .topicSet(let text): return text
            default: return nil
            }
        }
        #expect(texts == (0..<40).map { $0.isMultiple(of: 2) ? "topic \($0)" : "say \($0)" })
        try await server.stop()
    }

    @Test func membersSeeWhoIsOnline() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        let joined = try await scenario.join(scenario.facilitator)
        #expect(joined.online.count == 1)
        let samJoined = try await scenario.join(sam)
        #expect(samJoined.online.count == 2)
        try await scenario.facilitator.waitUntil { $0.presence.contains { $0.name == "Sam" && $0.online } }
        await sam.close()
        try await scenario.facilitator.waitUntil { $0.presence.contains { $0.name == "Sam" && !$0.online } }
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func facilitatorOnlyEventsReachOnlyFacilitators() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        try await scenario.join(scenario.facilitator)
        try await scenario.join(sam)
        let invite: Reply.InviteCreated = try await scenario.facilitator.request(
            .inviteCreate(.init(room: scenario.room, uses: 1)))
        let marker = try await scenario.say(scenario.facilitator, "after the invite")
        try await sam.waitForEvent(seq: marker.seq)
        try await scenario.facilitator.waitForEvent(seq: marker.seq)
        #expect(scenario.facilitator.events.contains { $0.seq == invite.seq })
        #expect(!sam.events.contains { $0.seq == invite.seq })
        let history: Reply.History = try await sam.request(.history(.init(room: scenario.room)))
        #expect(!history.events.contains { $0.audience != .room })
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func aRedeemedTokenSignsInLater() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, token) = try await scenario.member("Sam")
        await sam.close()
        let again = try await server.connect(token: token)
        #expect(again.hello?.account?.name == "Sam")
        #expect(again.hello?.account?.kind == .participant)
        let rooms: Reply.Rooms = try await again.request(.roomList)
        #expect(rooms.rooms.map(\.id) == [scenario.room])
        #expect(rooms.rooms.first?.role == .participant)
        await again.close()
        await scenario.facilitator.close()
        try await server.stop()
    }
}
