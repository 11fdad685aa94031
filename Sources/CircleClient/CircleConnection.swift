import CircleCore
import CircleProtocol
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One connection to a Circle server: requests with awaited replies, and a stream of what the
/// server pushes (events, presence, goodbyes).
public final class CircleConnection: Sendable {
    struct State {
        var nextID: Int64 = 1
        var pending: [Int64: Waiter] = [:]
        var closed = false
        var failure: ClientError?
        var rawEvents: (@Sendable (ByteBuffer) -> Void)?
    }

    /// Who waits for a reply: a task, or a callback on the connection's event loop.
    enum Waiter {
        case task(CheckedContinuation<Data, any Error>)
        case callback(@Sendable (Result<Data, any Error>) -> Void)

        func resume(with result: Result<Data, any Error>) {
            switch self {
            case .task(let continuation): continuation.resume(with: result)
            case .callback(let reply): reply(result)
            }
        }
    }

    private let channel: any Channel
    /// The name the server was reached by, for the sentence a failed handshake is told in.
    private let host: String
    private let state = Mutex(State())

    /// The event loop this connection reads and writes on, where `send(_:reply:)` calls back.
    public var eventLoop: any EventLoop { channel.eventLoop }
    /// Everything the server sends that is not a reply to a request, in arrival order.
    public let pushes: AsyncStream<ServerFrame>
    private let pushContinuation: AsyncStream<ServerFrame>.Continuation

    /// Connects and says hello, signing in with `token` if one is given.
    public static func connect(
        host: String, port: Int, token: String? = nil, client: String = "circle/0.1.0", tls: ClientTLS? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> (CircleConnection, Reply.Hello) {
        let connection = try await open(host: host, port: port, tls: tls, group: group)
        do {
            let hello: Reply.Hello = try await connection.request(.hello(.init(client: client, token: token)))
            return (connection, hello)
        } catch {
            connection.abort()
            throw error
        }
    }

    /// Connects without saying hello: for tests of the protocol itself.
    public static func open(
        host: String, port: Int, tls: ClientTLS? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> CircleConnection {
        let (stream, continuation) = AsyncStream.makeStream(of: ServerFrame.self, bufferingPolicy: .unbounded)
        let box = ConnectionBox()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(
                                    context: tls.context, serverHostname: ClientTLS.serverHostname(host)))
                        }
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(LineFrameDecoder(maxFrameSize: 16 * 1024 * 1024)))
                        try channel.pipeline.syncOperations.addHandler(ClientFrameHandler(box: box))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            throw ClientError.unreachable(ConnectFailure.unreachable(error, host: host, port: port))
        }
        let connection = CircleConnection(channel: channel, host: host, pushes: stream, continuation: continuation)
        // Attached on the channel's loop, where its frames are read, so that what arrived before
        // (a refusal a server sends as it accepts) is handed over first and in order; a TLS
        // handshake may also have failed before the connection existed.
        let early = try await channel.eventLoop.submit {
            let (error, frames) = box.attach(connection)
            for frame in frames { connection.received(frame) }
            return error
        }.get()
        if let early { connection.failed(early) }
        if !channel.isActive { connection.channelClosed() }
        return connection
    }

    private init(
        channel: any Channel, host: String, pushes: AsyncStream<ServerFrame>,
        continuation: AsyncStream<ServerFrame>.Continuation
    ) {
        self.channel = channel
        self.host = host
        self.pushes = pushes
        self.pushContinuation = continuation
    }

    /// Sends a request and waits for its reply; a refusal throws `ClientError.server`.
    public func request<Result: Decodable>(_ request: Request, as type: Result.Type = Result.self) async throws
        -> Result
    {
        let frame = try await send(request)
        return try ServerFrame.result(frame, as: Result.self)
    }

    /// Sends a request and returns the reply frame undecoded.
    public func send(_ request: Request) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            send(request, waiter: .task(continuation))
        }
    }

    /// Sends a request without waiting: `reply` gets the reply frame undecoded, or the error, on
    /// the connection's event loop (at once, where the request cannot be sent). For load
    /// generators that drive many requests from the loop, where a task and two thread hops per
    /// request would cost more than the request.
    public func send(_ request: Request, reply: @escaping @Sendable (Result<Data, any Error>) -> Void) {
        send(request, waiter: .callback(reply))
    }

    private func send(_ request: Request, waiter: Waiter) {
        let id: Result<Int64, ClientError> = state.withLock { state in
            guard !state.closed else { return .failure(state.failure ?? .connectionClosed) }
            let id = state.nextID
            state.nextID += 1
            state.pending[id] = waiter
            return .success(id)
        }
        switch id {
        case .failure(let error):
            waiter.resume(with: .failure(error))
        case .success(let id):
            do {
                channel.writeAndFlush(try request.frame(id: id), promise: nil)
            } catch {
                state.withLock { $0.pending.removeValue(forKey: id) }?.resume(with: .failure(error))
            }
        }
    }

    /// Writes raw bytes, for tests that speak the protocol badly on purpose.
    public func sendRaw(_ bytes: some Collection<UInt8>) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Stops reading from the socket, as a client on a stalled network would: for tests of
    /// how the server treats a reader that falls behind.
    public func stopReading() async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: false).get()
    }

    public func resumeReading() async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: true).get()
    }

    public func close() async {
        try? await channel.close().get()
    }

    /// Closes without waiting: for a client that drops off, as a lost network would.
    public func abort() {
        channel.close(promise: nil)
    }

    /// From now on hands every `event` frame to `handler` undecoded, on the connection's event
    /// loop, instead of to `pushes`: for tools (the benchmarks) that read a great many events
    /// and need a field or two of each, where decoding them all would cost more than the server.
    public func takeRawEvents(_ handler: @escaping @Sendable (ByteBuffer) -> Void) {
        state.withLock { $0.rawEvents = handler }
    }

    private static let eventPrefix = Array(#"{"type":"event","#.utf8)

    func received(_ frame: ByteBuffer) {
        if let raw = state.withLock({ $0.rawEvents }),
            frame.readableBytesView.starts(with: Self.eventPrefix)
        {
            raw(frame)
            return
        }
        let parsed: ServerFrame
        do {
            parsed = try ServerFrame.parse(frame)
        } catch {
            return
        }
        switch parsed {
        case .ok(let id, let data):
            state.withLock { $0.pending.removeValue(forKey: id) }?.resume(with: .success(data))
        case .error(let id?, let error):
            if let waiter = state.withLock({ $0.pending.removeValue(forKey: id) }) {
                waiter.resume(with: .failure(ClientError.server(error)))
            } else {
                pushContinuation.yield(parsed)
            }
        default:
            pushContinuation.yield(parsed)
        }
    }

    /// Remembers why the channel failed, so waiting requests say so rather than only that it closed.
    func failed(_ error: any Error) {
        guard error is NIOSSLError || error is BoringSSLError else { return }
        state.withLock { state in
            if state.failure == nil { state.failure = .insecure(ConnectFailure.tls(error, host: host)) }
        }
    }

    func channelClosed() {
        let (pending, failure) = state.withLock { state in
            state.closed = true
            defer { state.pending.removeAll() }
            return (Array(state.pending.values), state.failure ?? .connectionClosed)
        }
        for waiter in pending { waiter.resume(with: .failure(failure)) }
        pushContinuation.finish()
    }
}

/// Lets the channel's handler reach the connection that is created after the channel, and
/// keeps what came before it: an error, and frames (dropping them lost a server's refusal sent
/// as it accepted, `too_many_connections`, on a loaded machine).
final class ConnectionBox: Sendable {
    private let state = Mutex<(connection: CircleConnection?, early: (any Error)?, frames: [ByteBuffer])>(
        (nil, nil, []))

    var connection: CircleConnection? {
        state.withLock { $0.connection }
    }

    /// Sets the connection; returns an error caught before it was set, and the frames read.
    /// On the channel's event loop, so no frame is read in between.
    func attach(_ connection: CircleConnection) -> ((any Error)?, [ByteBuffer]) {
        state.withLock { state in
            state.connection = connection
            defer {
                state.early = nil
                state.frames = []
            }
            return (state.early, state.frames)
        }
    }

    /// Hands a frame to the connection, or keeps it until the connection is attached.
    func received(_ frame: ByteBuffer) {
        let connection = state.withLock { state in
            if state.connection == nil { state.frames.append(frame) }
            return state.connection
        }
        connection?.received(frame)
    }

    func caught(_ error: any Error) {
        let connection = state.withLock { state in
            if state.connection == nil, state.early == nil { state.early = error }
            return state.connection
        }
        connection?.failed(error)
    }
}

/// Hands each inbound frame to the connection.
final class ClientFrameHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let box: ConnectionBox

    init(box: ConnectionBox) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        box.received(unwrapInboundIn(data))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        box.caught(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        box.connection?.channelClosed()
        context.fireChannelInactive()
    }
}
