import CircleCore
import CircleProtocol
import NIOCore

/// Keeps one connection from costing the server more than its share: pings when the line has
/// been quiet (so clients notice a dead link) and disconnects a reader that has fallen so far
/// behind that its queued bytes pass the outbound limit. It can resume from its last sequence
/// number; the room never waits for it.
///
/// Inbound only, so the frames written to every member do not pass through it.
final class ConnectionGuardHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .write {
            context.writeAndFlush(NIOAny(ServerFrame.encodePing()), promise: nil)
        } else if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            // Nothing from the client for the idle-logoff time: the automatic logoff clinics
            // are asked for. It may sign in again.
            let bye = ServerFrame.encodeBye(
                CircleError(.idleLogoff, "Logged off after a long time without activity; sign in again to continue."))
            let channel = context.channel
            context.writeAndFlush(NIOAny(bye)).whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !context.channel.isWritable {
            context.close(promise: nil)
        }
        context.fireChannelWritabilityChanged()
    }
}
