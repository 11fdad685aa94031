import CircleCore
import CircleProtocol
import NIOCore

/// Closes a connection whose frame stays unfinished too long: a peer that sends a request a
/// byte at a time would otherwise hold its connection, its buffer and its sign-in open for
/// ever while never asking anything. Sits before the frame decoder and only watches whether
/// the bytes so far end inside a frame.
final class FrameDeadlineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        let view = bytes.readableBytesView
        if let last = view.last {
            if last == UInt8(ascii: "\n") {
                // Every frame so far is whole.
                cancel()
            } else if view.contains(UInt8(ascii: "\n")) || deadline == nil {
                // A new frame began in this read: it has the whole timeout to finish.
                arm(context: context)
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    private func arm(context: ChannelHandlerContext) {
        cancel()
        let seconds = timeout.nanoseconds / 1_000_000_000
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            let context = bound.value
            let error = CircleError(
                .frameIncomplete, "A frame was left unfinished for \(seconds) s; closing the connection.")
            let channel = context.channel
            context.writeAndFlush(NIOAny(ServerFrame.encodeError(id: nil, error))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    private func cancel() {
        deadline?.cancel()
        deadline = nil
    }
}
