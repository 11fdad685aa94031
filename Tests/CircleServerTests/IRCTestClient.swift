import CircleProtocol
import NIOCore
import NIOPosix
import Synchronization

/// A scripted IRC client over loopback TCP: it writes raw lines and keeps every line the
/// server sends, parsed, so a test reads the conversation as irssi would receive it.
final class IRCTestClient: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received = Mutex<(lines: [IRCMessage], closed: Bool)>(([], false))

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if let message = IRCMessage.parse(String(buffer: unwrapInboundIn(data))) {
                received.withLock { $0.lines.append(message) }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            received.withLock { $0.closed = true }
        }
    }

    private let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(port: Int) async throws -> IRCTestClient {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineFrameDecoder(maxFrameSize: 16_384)))
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return IRCTestClient(channel: channel, collector: collector)
    }

    func send(_ line: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: line + "\r\n")).get()
    }

    var lines: [IRCMessage] { collector.received.withLock { $0.lines } }
    var isClosed: Bool { collector.received.withLock { $0.closed } }

    /// Waits (boundedly) until a line that `matches` has arrived, and returns it.
    @discardableResult
    func waitFor(seconds: Double = 10, _ matches: (IRCMessage) -> Bool) async throws -> IRCMessage {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            if let line = lines.first(where: matches) { return line }
            guard ContinuousClock.now < deadline else {
                // What did come, for the failure's log.
                print(lines.map(\.line).joined(separator: "\n"))
                throw TestClient.TimedOut()
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @discardableResult
    func waitFor(command: String, _ parameter: String? = nil) async throws -> IRCMessage {
        try await waitFor { $0.command == command && (parameter.map($0.parameters.contains) ?? true) }
    }

    /// Waits until the server has closed the connection.
    func waitUntilClosed() async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !isClosed {
            guard ContinuousClock.now < deadline else { throw TestClient.TimedOut() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Registers as an IRCv3 client does: capabilities first, then the token as the password.
    func register(
        token: String, nick: String, capabilities: [String] = ["echo-message", "message-tags", "server-time"]
    )
        async throws
    {
        try await send("CAP LS 302")
        try await send("PASS \(token)")
        try await send("NICK \(nick)")
        try await send("USER \(nick.lowercased()) 0 * :\(nick)")
        if !capabilities.isEmpty { try await send("CAP REQ :\(capabilities.joined(separator: " "))") }
        try await send("CAP END")
    }

    /// Stops reading from the socket, as a client that fell behind does; the kernel's buffers
    /// fill, then the server's.
    func stopReading() async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: false).get()
    }

    func resumeReading() async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: true).get()
        channel.read()
    }

    func close() async {
        try? await channel.close()
    }
}
