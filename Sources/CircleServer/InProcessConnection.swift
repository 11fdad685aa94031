import CircleProtocol
import NIOCore
import Synchronization

/// A connection to a running server with no socket under it: request frames in, server frames
/// out, through the same handlers, rooms and committer as a TCP connection. For tests that run
/// one body at two depths, in process and over loopback TCP (as `HummingbirdTesting` does), and
/// for tools that embed a server.
public final class InProcessConnection: Sendable {
    /// Every frame the server sends, in order, one per element (without its newline); it ends
    /// when the server closes the connection.
    public let frames: AsyncStream<ByteBuffer>
    private let inbound: AsyncStream<ByteBuffer>.Continuation
    private let served: Task<Void, Never>

    init(context: ServerContext) {
        let (frames, outbound) = AsyncStream.makeStream(of: ByteBuffer.self)
        let (requests, inbound) = AsyncStream.makeStream(of: ByteBuffer.self)
        self.frames = frames
        self.inbound = inbound
        let transport = MemoryTransport(outbound: outbound)
        let connection = Connection(transport: transport, context: context)
        let frontEnd = LineFrontEnd(connection: connection)
        // The connection's task, as for a socket: requests one at a time in arrival order.
        served = Task {
            await connection.serve {
                for await frame in requests {
                    connection.noteInbound()
                    if !frontEnd.handleOnLoop(frame) { await frontEnd.handle(frame) }
                    if connection.isClosing { break }
                }
            }
            outbound.finish()
        }
    }

    /// Sends one frame (without its newline), as a client writes a line.
    public func send(_ frame: ByteBuffer) {
        inbound.yield(frame)
    }

    /// Ends the connection, as a client closing its socket does, and waits until the server
    /// has let it go.
    public func close() async {
        inbound.finish()
        await served.value
    }
}

/// The transport of an in-process connection: each message goes to a stream as one frame, in
/// the newline-JSON protocol's words (what a test client reads is what a socket would carry).
final class MemoryTransport: Transport {
    private let outbound: AsyncStream<ByteBuffer>.Continuation
    private let closed = Atomic<Bool>(false)

    init(outbound: AsyncStream<ByteBuffer>.Continuation) {
        self.outbound = outbound
    }

    var remoteIP: String? { nil }

    func send(_ message: Outbound) {
        guard !closed.load(ordering: .acquiring) else { return }
        var frame = message.frame
        // A frame as encoded ends with its newline; the stream gives frames, not lines.
        if frame.readableBytesView.last == UInt8(ascii: "\n") { frame.moveWriterIndex(to: frame.writerIndex - 1) }
        outbound.yield(frame)
    }

    func send(_ messages: [Outbound]) {
        for message in messages { send(message) }
    }

    func sendAndWait(_ message: Outbound) async throws {
        send(message)
    }

    func close(after message: Outbound) {
        send(message)
        abort()
    }

    func abort() {
        closed.store(true, ordering: .releasing)
        outbound.finish()
    }
}

extension CircleServer {
    /// A new connection to this server in process: no socket, the same handlers.
    public func connectInProcess() -> InProcessConnection {
        InProcessConnection(context: context)
    }
}
