import CircleClient
import CircleCore
import CircleProtocol
import CircleServer
import Foundation
import NIOCore
import Synchronization
import Testing

/// What a test body needs of a person connected to the server, at either depth.
protocol Participant: Sendable {
    func request<Result: Decodable>(_ request: Request, as type: Result.Type) async throws -> Result
    /// The error a request is refused with; nil if it was not refused.
    func refusal(_ request: Request) async -> ErrorCode?
    var events: [Event] { get }
    func close() async
}

extension Participant {
    func request<Result: Decodable>(_ request: Request) async throws -> Result {
        try await self.request(request, as: Result.self)
    }

    /// Waits (boundedly) until an event that `matches` has arrived.
    func waitForEvent(seconds: Double = 10, _ matches: (Event) -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while !events.contains(where: matches) {
            guard ContinuousClock.now < deadline else { throw TestClient.TimedOut() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

extension TestClient: Participant {}

/// A person connected in process (`CircleServer.connectInProcess`): frames to and from the
/// same handlers as a socket's, with no socket under them.
final class InProcessClient: Participant {
    private final class Inbox: Sendable {
        let pending = Mutex<(next: Int64, waiting: [Int64: CheckedContinuation<Data, any Error>], closed: Bool)>(
            (1, [:], false))
        let received = FrameLog()

        func take(_ buffer: ByteBuffer) {
            guard let frame = try? ServerFrame.parse(buffer) else { return }
            switch frame {
            case .ok(let id, let data):
                pending.withLock { $0.waiting.removeValue(forKey: id) }?.resume(returning: data)
            case .error(let id?, let error):
                if let waiter = pending.withLock({ $0.waiting.removeValue(forKey: id) }) {
                    waiter.resume(throwing: ClientError.server(error))
                } else {
                    received.append(frame)
                }
            default:
                received.append(frame)
            }
        }

        func ended() {
            let waiting = pending.withLock { state in
                state.closed = true
                defer { state.waiting.removeAll() }
                return state.waiting.values
            }
            for waiter in waiting { waiter.resume(throwing: ClientError.connectionClosed) }
        }
    }

    private let link: InProcessConnection
    private let inbox = Inbox()
    private let reader: Task<Void, Never>

    init(_ link: InProcessConnection) {
        self.link = link
        reader = Task { [inbox] in
            for await buffer in link.frames { inbox.take(buffer) }
            inbox.ended()
        }
    }

    /// Connects in process and says hello, signed in with `token` if one is given.
    static func connect(to server: TestServer, token: String?) async throws -> InProcessClient {
        let client = InProcessClient(server.server.connectInProcess())
        let _: Reply.Hello = try await client.request(.hello(.init(client: "in-process test", token: token)))
        return client
    }

    func send(_ request: Request) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            let id = inbox.pending.withLock { state -> Int64? in
                guard !state.closed else { return nil }
                defer { state.next += 1 }
                state.waiting[state.next] = continuation
                return state.next
            }
            guard let id else { return continuation.resume(throwing: ClientError.connectionClosed) }
            do {
                var frame = try request.frame(id: id)
                frame.moveWriterIndex(to: frame.writerIndex - 1)
                link.send(frame)
            } catch {
                inbox.pending.withLock { $0.waiting[id] = nil }
                continuation.resume(throwing: error)
            }
        }
    }

    func request<Result: Decodable>(_ request: Request, as type: Result.Type) async throws -> Result {
        try ServerFrame.result(try await send(request), as: Result.self)
    }

    func refusal(_ request: Request) async -> ErrorCode? {
        do {
            _ = try await send(request)
            return nil
        } catch ClientError.server(let error) {
            return error.code
        } catch {
            return nil
        }
    }

    var events: [Event] {
        inbox.received.frames.compactMap { if case .event(let event) = $0 { event } else { nil } }
    }

    func close() async {
        await link.close()
        await reader.value
    }
}

/// The same test bodies run in process (no socket) and over loopback TCP: the handlers are one,
/// whatever wire is under them.
@Suite struct TwoDepthTests {
    enum Depth: String, CaseIterable, Sendable {
        case inProcess
        case tcp

        func connect(_ server: TestServer, token: String? = nil) async throws -> any Participant {
            switch self {
            case .inProcess: try await InProcessClient.connect(to: server, token: token)
            case .tcp: try await server.connect(token: token)
            }
        }
    }

    @Test(arguments: Depth.allCases)
    func aGroupMeetsSpeaksAndGoesRound(depth: Depth) async throws {
        let server = try await TestServer.start()
        let dana = try await depth.connect(server, token: try server.addFacilitator())
        let created: Reply.RoomCreated = try await dana.request(.roomCreate(.init(name: "Tuesday group")))
        let room = created.room
        let invite: Reply.InviteCreated = try await dana.request(.inviteCreate(.init(room: room, uses: 2)))
        let _: Reply.Appended = try await dana.request(.sessionOpen(.init(room: room)))
        let _: Reply.Joined = try await dana.request(.join(.init(room: room)))

        let sam = try await depth.connect(server)
        let redeemed: Reply.Redeemed = try await sam.request(.redeem(.init(code: invite.code, name: "Sam")))
        #expect(redeemed.role == .participant)
        // Speaking waits for the agreements; a participant may not moderate.
        #expect(await sam.refusal(.say(.init(room: room, text: "Hello?"))) == .agreementsNotAccepted)
        let _: Reply.Appended = try await sam.request(.agreementsAccept(.init(room: room, version: 1)))
        let _: Reply.Joined = try await sam.request(.join(.init(room: room)))
        #expect(await sam.refusal(.roomLock(.init(room: room))) == .forbidden)
        let said: Reply.Appended = try await sam.request(.say(.init(room: room, text: "Hello, everyone.")))
        try await dana.waitForEvent {
            $0.seq == said.seq && $0.body == .message(text: "Hello, everyone.", clientID: nil)
        }

        let _: Reply.Appended = try await dana.request(.roundStart(.init(room: room, prompt: "How was your week?")))
        let toGo: StillToGo = try await sam.request(.roundWho(.init(room: room)))
        #expect(toGo == StillToGo(round: 1, current: redeemed.account.id, waiting: []))
        let _: Reply.Appended = try await sam.request(.roundPass(.init(room: room)))
        try await dana.waitForEvent { if case .roundEnded = $0.body { true } else { false } }
        #expect(await sam.refusal(.roundWho(.init(room: room))) == .noRound)

        await sam.close()
        await dana.close()
        try await server.stop()
    }
}
