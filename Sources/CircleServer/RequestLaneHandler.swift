import NIOCore

/// Picks the lane each request runs in: a plain `say` on the event loop it arrived on, every
/// other frame on the connection's task (which may read the store or wait). Frames sent to the
/// task are counted until it has handled them, so a `say` never overtakes an earlier request.
final class RequestLaneHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let frontEnd: LineFrontEnd

    init(frontEnd: LineFrontEnd) {
        self.frontEnd = frontEnd
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        frontEnd.connection.noteInbound()
        if frontEnd.handleOnLoop(unwrapInboundIn(data)) { return }
        frontEnd.queued()
        context.fireChannelRead(data)
    }
}
