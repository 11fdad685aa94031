import CircleCore
import CircleProtocol
import Synchronization
import Testing

@testable import CircleServer

/// A front end is handed what a room fans out as typed values, not only as JSON lines: a
/// transport that writes another protocol (IRC) reads the event itself and never decodes a frame.
@Suite struct TransportTests {
    /// Keeps every message the handlers and the room hand it, in order.
    final class RecordingTransport: Transport {
        let sent = Mutex<[Outbound]>([])

        func send(_ message: Outbound) { sent.withLock { $0.append(message) } }
        func send(_ messages: [Outbound]) { sent.withLock { $0 += messages } }
        func sendAndWait(_ message: Outbound) async throws { send(message) }
        func close(after message: Outbound) { send(message) }
        func abort() {}
        var remoteIP: String? { nil }

        var shared: [Shared.Content] {
            sent.withLock { $0.compactMap { if case .shared(let shared) = $0 { shared.content } else { nil } } }
        }
    }

    @Test func aRoomFansOutTypedEventsAndPresenceToATransport() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let transport = RecordingTransport()
        let connection = Connection(transport: transport, context: server.server.context)
        await connection.handle(.hello(.init(client: "recorder", token: scenario.facilitatorToken)), id: 1)
        await connection.handle(.join(.init(room: scenario.room)), id: 2)

        let (sam, _) = try await scenario.member("Sam")
        try await scenario.join(sam)
        try await scenario.say(sam, "typed all the way")
        let deadline = ContinuousClock.now + .seconds(10)
        while !transport.shared.contains(where: { if case .event(let e) = $0 { e.body.isMessage } else { false } }) {
            guard ContinuousClock.now < deadline else { throw TestClient.TimedOut() }
            try await Task.sleep(for: .milliseconds(5))
        }
        let said = transport.shared.compactMap { if case .event(let event) = $0 { event } else { nil } }.last
        #expect(said?.body == .message(text: "typed all the way", clientID: nil))
        #expect(
            transport.shared.contains {
                if case .presence(let presence) = $0 { presence.name == "Sam" && presence.online } else { false }
            })

        connection.leaveAll()
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
    }
}

extension EventBody {
    fileprivate var isMessage: Bool {
        if case .message = self { true } else { false }
    }
}
