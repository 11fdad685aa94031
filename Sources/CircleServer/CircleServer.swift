import CircleCore
import CircleProtocol
import CircleStore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// The Circle server: a TCP listener speaking newline-delimited JSON, in front of the rooms.
///
/// `bind` opens the listener, `run` serves until `shutdown` (or a graceful-shutdown signal from
/// a ServiceGroup), then stops accepting, tells every client, finishes committing and returns.
public final class CircleServer: Service, Sendable {
    typealias Child = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// A connection as the listener hands it over: its channel, and the front end its
    /// pipeline already runs `say` requests through.
    struct Accepted: Sendable {
        var frontEnd: LineFrontEnd
        var child: Child
    }

    /// An IRC client's connection as its listener hands it over.
    struct IRCAccepted: Sendable {
        var frontEnd: IRCFrontEnd
        var child: Child
    }

    let context: ServerContext
    private let listener: NIOAsyncChannel<Accepted, Never>
    /// The IRC gateway's listener (`irc-listen`), when it is on.
    private let ircListener: NIOAsyncChannel<IRCAccepted, Never>?
    private let metricsEndpoint: MetricsEndpoint?
    /// The address the listener is bound to; with port 0 the kernel chose the port.
    public let localAddress: SocketAddress

    /// Loads every room from the store and opens the listener.
    public static func bind(
        configuration: ServerConfiguration, store: any Storage, clock: any Clock = SystemClock(),
        logger: Logger = Logger(label: "circled"), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> CircleServer {
        let context = try ServerContext(store: store, configuration: configuration, clock: clock, logger: logger)
        let heartbeat = TimeAmount.seconds(Int64(configuration.heartbeatSeconds))
        let limit = configuration.outboundLimit
        let frameDeadline = TimeAmount.seconds(Int64(configuration.frameCompletionSeconds))
        let tls = configuration.tls
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // A client that half-closes (a script piping into nc) is still owed its replies.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: limit / 2, high: limit))
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(FrameDeadlineHandler(timeout: frameDeadline))
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineFrameDecoder(maxFrameSize: configuration.maxFrameSize)))
                    let transport = LineTransport(channel: channel, drainer: context.drainer(for: channel.eventLoop))
                    let connection = Connection(transport: transport, context: context)
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionGuardHandler(transport: transport, heartbeat: heartbeat))
                    let frontEnd = LineFrontEnd(connection: connection)
                    try channel.pipeline.syncOperations.addHandler(RequestLaneHandler(frontEnd: frontEnd))
                    return Accepted(frontEnd: frontEnd, child: try Child(wrappingChannelSynchronously: channel))
                }
            }
        var endpoint: MetricsEndpoint?
        var ircListener: NIOAsyncChannel<IRCAccepted, Never>?
        do {
            if let (host, port) = configuration.irc {
                ircListener = try await bindIRC(host: host, port: port, context: context, group: group)
            }
            if let (host, port) = configuration.metrics {
                endpoint = try await MetricsEndpoint.bind(host: host, port: port, group: group) {
                    context.scrapeMetrics()
                }
            }
        } catch {
            try? await listener.channel.close()
            try? await ircListener?.channel.close()
            throw error
        }
        return CircleServer(context: context, listener: listener, ircListener: ircListener, metricsEndpoint: endpoint)
    }

    /// The IRC gateway's listener: IRC lines in, the same connections and handlers behind.
    private static func bindIRC(
        host: String, port: Int, context: ServerContext, group: any EventLoopGroup
    ) async throws -> NIOAsyncChannel<IRCAccepted, Never> {
        let configuration = context.configuration
        let tls = configuration.tls
        let frameDeadline = TimeAmount.seconds(Int64(configuration.frameCompletionSeconds))
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(
                .writeBufferWaterMark,
                value: .init(low: configuration.outboundLimit / 2, high: configuration.outboundLimit)
            )
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(FrameDeadlineHandler(timeout: frameDeadline))
                    // IRCv3's limit: 8,191 bytes of tags and 512 of message.
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineFrameDecoder(maxFrameSize: 8_191 + 512)))
                    let session = IRCSession(channel: channel)
                    let connection = Connection(transport: session, context: context)
                    return IRCAccepted(
                        frontEnd: IRCFrontEnd(connection: connection, session: session),
                        child: try Child(wrappingChannelSynchronously: channel))
                }
            }
    }

    private init(
        context: ServerContext, listener: NIOAsyncChannel<Accepted, Never>,
        ircListener: NIOAsyncChannel<IRCAccepted, Never>?, metricsEndpoint: MetricsEndpoint?
    ) {
        self.context = context
        self.listener = listener
        self.ircListener = ircListener
        self.metricsEndpoint = metricsEndpoint
        self.localAddress = listener.channel.localAddress!
    }

    /// The port of the IRC gateway, when it is on.
    public var ircPort: Int? { ircListener?.channel.localAddress?.port }

    /// The port of the Prometheus endpoint, when it is on.
    public var metricsPort: Int? { metricsEndpoint?.port }

    /// Whether clients can reach the listener from another machine without TLS, which would
    /// put members' words on the network in the clear.
    static func isPlainOnNetwork(_ configuration: ServerConfiguration) -> Bool {
        configuration.tls == nil && !ServerConfiguration.isLoopback(configuration.host)
    }

    public var port: Int { localAddress.port ?? 0 }

    /// The IP address a per-address limit counts, or nil for loopback (when exempt) and unix sockets.
    static func limitedIP(_ ip: String, loopbackIsExempt: Bool = true) -> String? {
        if loopbackIsExempt, ServerConfiguration.isLoopback(ip) { return nil }
        return ip
    }

    public func run() async throws {
        // Said here rather than after bind: by now a ServiceGroup has its signal handlers in
        // place, so whoever waits for this line may send SIGTERM at once.
        let scheme = context.configuration.tls == nil ? "plain TCP" : "TLS"
        context.logger.info(
            "listening on \(context.configuration.host):\(port) (\(scheme)), data in \(context.store.path)")
        if Self.isPlainOnNetwork(context.configuration) {
            context.logger.warning(
                "listening in plain text on \(context.configuration.host), which is not loopback: members' words cross the network unencrypted; set tls-certificate and tls-key"
            )
        }
        if let (host, _) = context.configuration.irc, let ircPort {
            context.logger.info("IRC gateway on \(host):\(ircPort) (\(scheme))")
            if context.configuration.tls == nil, !ServerConfiguration.isLoopback(host) {
                context.logger.warning(
                    "the IRC gateway listens in plain text on \(host), which is not loopback: members' words cross the network unencrypted; set tls-certificate and tls-key"
                )
            }
        }
        if let metricsPort {
            context.logger.info("metrics on \(context.configuration.metrics!.host):\(metricsPort)/metrics")
        }
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                if let ircListener {
                    group.addTask {
                        try await withThrowingDiscardingTaskGroup { clients in
                            try await ircListener.executeThenClose { inbound in
                                for try await accepted in inbound {
                                    clients.addTask { await self.serveIRC(accepted) }
                                }
                            }
                        }
                    }
                }
                try await listener.executeThenClose { inbound in
                    for try await accepted in inbound {
                        group.addTask { await self.serve(accepted) }
                    }
                }
                await drain()
            }
        } onGracefulShutdown: {
            self.shutdown()
        }
        context.logger.info("stopped")
    }

    /// The work the server does besides serving connections (archiving closed sessions,
    /// retention, watching for revoked tokens, waking rooms at their deadlines), to run beside
    /// it in the same `ServiceGroup`, listed after it so that a graceful shutdown stops them
    /// before the listener.
    public var backgroundServices: [any Service] {
        [
            ArchivingService(context: context), RetentionService(context: context),
            RevocationWatcher(context: context), RoomWakeupService(context: context),
        ]
    }

    /// Stops accepting; `run` then says goodbye to every client and returns.
    public func shutdown() {
        listener.channel.close(promise: nil)
        ircListener?.channel.close(promise: nil)
        metricsEndpoint?.close()
    }

    /// After the listener closes: finish what was accepted, then close every connection with a
    /// goodbye so clients know to come back later rather than that something broke.
    private func drain() async {
        // Archives being written finish and are recorded before the store closes.
        _ = try? await context.archiver.run {}
        // The next start reads each room from here rather than from its whole log.
        for room in context.rooms.all { room.snapshotIfDue(force: true) }
        let failures = context.signIns.flush(at: context.clock.now())
        if !failures.isEmpty { context.store.committer.submit(failures.map(StoreChange.audit)) { _ in } }
        await context.store.committer.flush()
        let bye = Outbound.bye(CircleError(.shuttingDown, "The server is shutting down; try again shortly."))
        for connection in context.openConnections {
            connection.closeAfter(bye)
        }
    }

    /// Admits a new connection under its address's limit, or writes `refusal` and closes it;
    /// the address to release when it ends, and whether it was admitted.
    private func admit(_ child: Child, refusal: (CircleError) -> ByteBuffer) async -> (ip: String?, admitted: Bool) {
        // One address may hold only so many connections; loopback (a proxy, the benchmarks) is exempt.
        let address = child.channel.remoteAddress?.ipAddress
        let exempt = context.configuration.loopbackIsExempt
        let counted = address.flatMap { Self.limitedIP($0, loopbackIsExempt: exempt) }
        if let ip = counted, !context.admit(ip) {
            context.metrics?.refused(.tooManyConnections)
            let error = CircleError(.tooManyConnections, "Too many connections from your address; close some first.")
            try? await child.channel.writeAndFlush(refusal(error)).get()
            try? await child.channel.close()
            return (nil, false)
        }
        return (counted, true)
    }

    private func serveIRC(_ accepted: IRCAccepted) async {
        let child = accepted.child
        let (counted, admitted) = await admit(child) { error in
            ByteBuffer(string: IRCMessage("ERROR", ["Closing link: \(error.message)"]).line + "\r\n")
        }
        guard admitted else { return }
        defer { if let ip = counted { context.release(ip) } }
        let frontEnd = accepted.frontEnd
        await frontEnd.connection.serve {
            do {
                try await child.executeThenClose { inbound, _ in
                    for try await line in inbound {
                        guard let message = IRCMessage.parse(String(buffer: line)) else { continue }
                        await frontEnd.handle(message)
                        if frontEnd.connection.isClosing { break }
                    }
                }
            } catch {
                context.logger.debug("IRC connection ended: \(error)")
            }
        }
    }

    private func serve(_ accepted: Accepted) async {
        let child = accepted.child
        let (counted, admitted) = await admit(child) { ServerFrame.encodeError(id: nil, $0) }
        guard admitted else { return }
        defer { if let ip = counted { context.release(ip) } }
        let frontEnd = accepted.frontEnd
        let connection = frontEnd.connection
        await connection.serve {
            do {
                try await child.executeThenClose { inbound, _ in
                    do {
                        for try await frame in inbound {
                            await frontEnd.handleQueued(frame)
                            if connection.isClosing { break }
                        }
                    } catch FrameError.tooLarge(let limit) {
                        let error = CircleError(
                            .frameTooLarge, "A frame may be at most \(limit) bytes; closing the connection.")
                        context.metrics?.refused(.frameTooLarge)
                        try? await child.channel.writeAndFlush(ServerFrame.encodeError(id: nil, error)).get()
                    }
                    // Let the last replies reach the wire before the channel closes: the first flush
                    // returns from inside its batch's completions, before they hand their drains to
                    // the loops; a second commit comes after that, and a task on the loop after
                    // those drains (a client that half-closed is still owed every reply).
                    if !connection.isClosing {
                        await context.store.committer.flush()
                        await context.store.committer.flush()
                        try? await child.channel.eventLoop.submit {}.get()
                    }
                }
            } catch {
                context.logger.debug("connection ended: \(error)")
            }
        }
    }
}
