import CircleCore
import CircleProtocol
import NIOCore

/// Keeps one connection from costing the server more than its share: pings when the line has
/// been quiet (so clients notice a dead link) and disconnects a reader that has fallen so far
/// behind that its queued bytes pass the outbound limit. It can resume from its last sequence
/// number; the room never waits for it.
///
/// Inbound only, so the frames written to every member do not pass through it. The quiet time
/// is read from the connection's last drain rather than from IdleStateHandler, which made a
/// promise and a callback for every write to learn it.
final class ConnectionGuardHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let transport: LineTransport
    private let heartbeat: TimeAmount
    private var pinger: Scheduled<Void>?

    init(transport: LineTransport, heartbeat: TimeAmount) {
        self.transport = transport
        self.heartbeat = heartbeat
    }

    func handlerAdded(context: ChannelHandlerContext) {
        transport.writeThrough(context)
        transport.noteWrite()
        schedulePing(context: context, in: heartbeat)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // The context holds the pipeline, which holds this handler and so the connection.
        transport.writeThrough(nil)
        stopPinging()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopPinging()
        context.fireChannelInactive()
    }

    private func stopPinging() {
        pinger?.cancel()
        pinger = nil
    }

    /// Wakes when `heartbeat` would have passed since the last write: pings if nothing has been
    /// written since, or sleeps again until the new deadline.
    private func schedulePing(context: ChannelHandlerContext, in delay: TimeAmount) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        pinger = context.eventLoop.scheduleTask(in: delay) {
            let (handler, context) = loopBound.value
            guard context.channel.isActive else { return }
            let quiet = context.eventLoop.now - handler.transport.lastWrite
            if quiet >= handler.heartbeat {
                handler.transport.noteWrite()
                context.writeAndFlush(NIOAny(ServerFrame.encodePing()), promise: nil)
                handler.schedulePing(context: context, in: handler.heartbeat)
            } else {
                handler.schedulePing(context: context, in: handler.heartbeat - quiet)
            }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !context.channel.isWritable {
            context.close(promise: nil)
        }
        context.fireChannelWritabilityChanged()
    }
}
