import CircleClient
import CircleCore
import CircleProtocol
import CircleStore
import CircleTestSupport
import Foundation
import Testing

@testable import CircleServer

/// A start reads each room from its snapshot and the events after it, and gets exactly the
/// room that replaying the whole log gives.
@Suite struct SnapshotRestartTests {
    static func wholeReplay(_ room: RoomID, _ store: Store) throws -> RoomState {
        var state = RoomState(id: room)
        try RoomLog(store: store).forEachEvent(room: room) { state.apply($0) }
        return state
    }

    @Test func aRestartFromTheSnapshotIsTheRoomTheWholeLogGives() async throws {
        let folder = try TemporaryFolder()
        var server = try await TestServer.start(folder: folder)
        let scenario = try await RoomScenario.start(on: server)
        let (sam, token) = try await scenario.member("Sam")
        for index in 0..<20 { try await scenario.say(sam, "before \(index)", cid: "b\(index)") }
        let _: Reply.Appended = try await scenario.facilitator.request(
            .roundStart(.init(room: scenario.room, kind: .checkIn, prompt: "How was your week?")))
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()

        // Stopping wrote the snapshot of where the log ends.
        let stopped = try #require(try server.store.snapshot(room: scenario.room))
        #expect(stopped.seq == (try server.store.lastSeq(room: scenario.room)))
        #expect(stopped.version == RoomState.snapshotVersion)

        server = try await TestServer.start(folder: folder)
        let back = try await server.connect(token: token)
        // Events after the snapshot, and a repeat from before it still known as one.
        try await scenario.say(back, "after the restart", cid: "a1")
        let again = try await scenario.say(back, "before 3", cid: "b3")
        #expect(again.duplicate)
        let (fromSnapshot, at) = try RoomRuntime.replay(scenario.room, from: server.store)
        #expect(at == stopped.seq)
        #expect(fromSnapshot == (try Self.wholeReplay(scenario.room, server.store)))
        #expect(fromSnapshot == server.server.context.rooms[scenario.room]?.read { $0 })
        await back.close()
        try await server.stop()
    }

    @Test func aSnapshotOfAnotherVersionIsIgnored() async throws {
        let folder = try TemporaryFolder()
        var server = try await TestServer.start(folder: folder)
        let scenario = try await RoomScenario.start(on: server)
        try await scenario.say(scenario.facilitator, "hello")
        await scenario.facilitator.close()
        try await server.stop()
        try await server.store.pool.write { db in
            try db.execute(sql: "UPDATE room_snapshots SET version = version + 1, json = x'7b7d'")
        }
        server = try await TestServer.start(folder: folder)
        let (state, at) = try RoomRuntime.replay(scenario.room, from: server.store)
        #expect(at == 0)
        #expect(state == (try Self.wholeReplay(scenario.room, server.store)))
        try await server.stop()
    }
}
