import CircleClient
import CircleCore
import CircleProtocol
import Foundation
import Synchronization

/// A client connection that records everything the server pushes, for assertions.
final class TestClient: Sendable {
    let connection: CircleConnection
    let hello: Reply.Hello?
    private let received = FrameLog()
    private let reader: Task<Void, Never>

    init(connection: CircleConnection, hello: Reply.Hello?) {
        self.connection = connection
        self.hello = hello
        reader = Task { [connection, received] in
            for await frame in connection.pushes { received.append(frame) }
        }
    }

    func request<Result: Decodable>(_ request: Request, as type: Result.Type = Result.self) async throws -> Result {
        try await connection.request(request)
    }

    /// The error a request is refused with (fails the test's expectation if it succeeds).
    func refusal(_ request: Request) async -> ErrorCode? {
        do {
            _ = try await connection.send(request)
            return nil
        } catch ClientError.server(let error) {
            return error.code
        } catch {
            return nil
        }
    }

    var frames: [ServerFrame] { received.frames }

    var events: [Event] {
        frames.compactMap { if case .event(let event) = $0 { return event } else { return nil } }
    }

    var errors: [CircleError] {
        frames.compactMap { if case .error(_, let error) = $0 { return error } else { return nil } }
    }

    var presence: [Presence] {
        frames.compactMap { if case .presence(let presence) = $0 { return presence } else { return nil } }
    }

    /// Whether the event numbered `seq` came before the first frame saying `member` went offline.
    func saw(eventSeq seq: Int64, beforeOffline member: AccountID) -> Bool {
        let frames = frames
        let event = frames.firstIndex { if case .event(let event) = $0 { event.seq == seq } else { false } }
        let offline = frames.firstIndex {
            if case .presence(let presence) = $0 { presence.member == member && !presence.online } else { false }
        }
        guard let event, let offline else { return false }
        return event < offline
    }

    /// Waits (boundedly) until `condition` holds; the bound only keeps a broken test from hanging.
    func waitUntil(seconds: Double = 10, _ condition: (TestClient) -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while !condition(self) {
            guard ContinuousClock.now < deadline else { throw TimedOut() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func waitForEvent(seq: Int64, seconds: Double = 10) async throws {
        try await waitUntil(seconds: seconds) { $0.events.contains { $0.seq >= seq } }
    }

    /// Waits until the server closes the connection.
    func waitUntilClosed(seconds: Double = 10) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            do {
                _ = try await connection.send(.ping)
            } catch ClientError.connectionClosed {
                return
            } catch {}
            guard ContinuousClock.now < deadline else { throw TimedOut() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func close() async {
        await connection.close()
        await reader.value
    }

    struct TimedOut: Error {}
}

/// What one connection has been pushed, in arrival order.
final class FrameLog: Sendable {
    private let storage = Mutex<[ServerFrame]>([])

    func append(_ frame: ServerFrame) {
        storage.withLock { $0.append(frame) }
    }

    var frames: [ServerFrame] {
        storage.withLock { $0 }
    }
}
