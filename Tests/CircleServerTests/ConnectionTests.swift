import CircleClient
import CircleCore
import CircleProtocol
import Foundation
import NIOCore
import Synchronization
import Testing

@testable import CircleServer

@Suite struct ConnectionTests {
    /// Over real TCP, a quiet connection is pinged at the heartbeat it was told in its hello.
    /// That a busy one is not (each write puts the ping off) is `ConnectionGuardTests`' to show,
    /// on an embedded loop whose clock the test moves: timed here, under a loaded suite, the
    /// server was sometimes right to ping, and the test could not tell.
    @Test func aQuietConnectionIsPinged() async throws {
        let server = try await TestServer.start { $0.heartbeatSeconds = 2 }
        let client = try await server.connect(token: try server.addFacilitator())
        #expect(client.hello?.heartbeat == 2)
        try await client.waitUntil(seconds: 10) { client in
            client.frames.contains { if case .ping = $0 { return true } else { return false } }
        }
        await client.close()
        try await server.stop()
    }

    @Test func aReaderThatFallsBehindIsDisconnectedAndTheRoomGoesOn() async throws {
        let server = try await TestServer.start { $0.outboundLimit = 64 * 1024 }
        let scenario = try await RoomScenario.start(on: server)
        let (slow, token) = try await scenario.member("Slow")
        let (steady, _) = try await scenario.member("Steady")
        try await scenario.join(slow)
        try await scenario.join(steady)
        let seenBeforeStall = slow.events.last?.seq ?? 0
        try await slow.connection.stopReading()

        // Enough to fill the kernel's socket buffers and then the server's own cap.
        let text = String(repeating: "w", count: 4000)
        var last: Int64 = 0
        for index in 0..<3000 {
            last = try await scenario.say(scenario.facilitator, text).seq
            // The steady member is the one that keeps up: never more than ten messages (40 kB,
            // under the cap) behind. Unpaced, a suite busy on both cores could stall its reader
            // long enough for the cap to cut it off too.
            if index % 10 == 9 { try await steady.waitForEvent(seq: last, seconds: 60) }
        }
        // Generous bounds: the whole suite runs beside this test on two cores.
        // Each wait says where it stopped if it times out: the test timed out in two of some
        // thirty full runs of the suite before the pacing above, and did not say which wait.
        do { try await steady.waitForEvent(seq: last, seconds: 60) } catch {
            Issue.record("the steady member stopped at \(steady.events.last?.seq ?? 0) of \(last)")
            throw error
        }
        // Reading again drains what the kernel held, then finds the server hung up.
        try await slow.connection.resumeReading()
        do { try await slow.waitUntilClosed(seconds: 60) } catch {
            Issue.record("the slow member was not cut off; it has \(slow.events.last?.seq ?? 0) of \(last)")
            throw error
        }
        #expect((slow.events.last?.seq ?? 0) < last)

        // The slow member resumes and gets everything, in order.
        let back = try await server.connect(token: token)
        try await scenario.join(back, since: seenBeforeStall)
        do { try await back.waitForEvent(seq: last, seconds: 60) } catch {
            Issue.record("the resumed member stopped at \(back.events.last?.seq ?? 0) of \(last)")
            throw error
        }
        #expect(back.events.map(\.seq) == Array((seenBeforeStall + 1)...last))
        for client in [back, steady, scenario.facilitator] { await client.close() }
        try await server.stop()
    }

    @Test func aToolCanTakeEventsUndecoded() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        try await scenario.join(sam)
        let raw = Mutex<[String]>([])
        sam.connection.takeRawEvents { frame in raw.withLock { $0.append(String(buffer: frame)) } }
        try await scenario.join(scenario.facilitator)
        try await scenario.say(scenario.facilitator, "Taken as bytes.")
        // Other events (the facilitator arriving) may come first; wait for the message itself.
        let taken = {
            raw.withLock { $0.contains { $0.hasPrefix(#"{"type":"event","#) && $0.contains("Taken as bytes.") } }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while !taken() && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(taken())
        // Replies still come back decoded, and the events no longer reach `pushes`.
        let _: Reply.Done = try await sam.request(.ping)
        #expect(!sam.events.contains { if case .message = $0.body { true } else { false } })
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func aToolCanSendWithoutWaiting() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        try await scenario.join(sam)
        let connection = sam.connection
        // Each reply comes to its callback, on the connection's event loop; a refusal comes as
        // the server's error.
        let say = { (text: String) async -> (Result<Data, any Error>, onLoop: Bool) in
            await withCheckedContinuation { done in
                connection.send(.say(.init(room: scenario.room, text: text))) { result in
                    done.resume(returning: (result, connection.eventLoop.inEventLoop))
                }
            }
        }
        let sent = await say("Sent from the loop.")
        #expect(sent.onLoop)
        let appended = try ServerFrame.result(try sent.0.get(), as: Reply.Appended.self)
        #expect(appended.seq > 0)
        let refused = await say("")
        #expect(refused.onLoop)
        #expect(throws: ClientError.self) { try refused.0.get() }
        // Once the connection is closed, the callback hears so at once.
        await sam.close()
        let late = await say("Too late.")
        #expect(throws: ClientError.connectionClosed) { try late.0.get() }
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func aClosedConnectionIsFreed() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let context = server.server.context
        let before = Set(context.openConnections.map(ObjectIdentifier.init))
        let (sam, _) = try await scenario.member("Sam")
        try await scenario.join(sam)
        _ = try await scenario.say(sam, "Here and gone.")
        // The connection keeps where it writes in the pipeline, and the pipeline keeps the
        // connection: a cycle that closing must break, or every connection would leak.
        weak let connection = context.openConnections.first { !before.contains(ObjectIdentifier($0)) }
        #expect(connection != nil)
        await sam.close()
        let deadline = ContinuousClock.now + .seconds(10)
        while connection != nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(connection == nil)
        await scenario.facilitator.close()
        try await server.stop()
    }
}
