import NIOCore

/// Picks the lane each request runs in: a plain `say` on the event loop it arrived on, every
/// other frame on the connection's task (which may read the store or wait). Frames sent to the
/// task are counted until it has handled them, so a `say` never overtakes an earlier request.
final class RequestLaneHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let connection: Connection

    init(connection: Connection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection.noteInbound()
        if connection.handleOnLoop(unwrapInboundIn(data)) { return }
        connection.queuedFrames.add(1, ordering: .releasing)
        context.fireChannelRead(data)
    }
}
