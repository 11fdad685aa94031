import NIOCore
import Synchronization

/// The newline-JSON socket under a connection: frames queue in one outbox, drained on the
/// channel's event loop with the loop's other connections (`LoopDrainer`).
final class LineTransport: Transport {
    let channel: any Channel
    /// Frames waiting for this connection's event loop, and whether a drain is scheduled.
    /// Under load many frames gather between two drains, and go out in one write and flush.
    private let outbox = Mutex<(frames: [(ByteBuffer, EventLoopPromise<Void>?)], scheduled: Bool)>(([], false))
    /// Drains this connection's outbox on its loop, with the loop's other connections.
    private let drainer: LoopDrainer
    /// When frames last went out (uptime nanoseconds), for the heartbeat.
    private let lastWriteNanoseconds = Atomic<UInt64>(0)
    /// Where drains write: the guard's place in the pipeline, nearer the socket than the
    /// tail, so a frame skips the async channel's handler, which only passes it on. Until the
    /// guard is added (and after it is removed) frames go in at the tail.
    private let writer: NIOLoopBoundBox<ChannelHandlerContext?>

    init(channel: any Channel, drainer: LoopDrainer) {
        self.channel = channel
        self.drainer = drainer
        writer = .makeEmptyBox(valueType: ChannelHandlerContext.self, eventLoop: channel.eventLoop)
    }

    var remoteIP: String? { channel.remoteAddress?.ipAddress }

    /// Sets (or, with nil, clears) where drains write; on the connection's event loop.
    func writeThrough(_ context: ChannelHandlerContext?) {
        writer.value = context
    }

    func send(_ message: Outbound) {
        enqueue(message.frame, promise: nil)
    }

    /// Sends in order. Every send goes through one queue per connection, drained on its event
    /// loop: frames from many threads keep their order, and those that gather between two
    /// drains share one trip to the loop and one flush.
    func send(_ messages: [Outbound]) {
        enqueue { queued in
            for message in messages { queued.append((message.frame, nil)) }
        }
    }

    func sendAndWait(_ message: Outbound) async throws {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        enqueue(message.frame, promise: promise)
        try await promise.futureResult.get()
    }

    func close(after message: Outbound) {
        let channel = channel
        let promise = channel.eventLoop.makePromise(of: Void.self)
        enqueue(message.frame, promise: promise)
        promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }

    func abort() {
        channel.close(promise: nil)
    }

    private func enqueue(_ frame: ByteBuffer, promise: EventLoopPromise<Void>?) {
        enqueue { $0.append((frame, promise)) }
    }

    /// Adds to the outbox and, if it was waiting for nothing, asks the loop's drainer for a drain.
    private func enqueue(_ add: (inout [(ByteBuffer, EventLoopPromise<Void>?)]) -> Void) {
        let schedule = outbox.withLock { box in
            add(&box.frames)
            defer { box.scheduled = true }
            return !box.scheduled
        }
        if schedule { drainer.add(self) }
    }

    /// Writes and flushes what the outbox holds; on the connection's event loop.
    func drain() {
        // Taken by swapping, not copying: a copy would make the next append reallocate anyway,
        // and clearing the shared original would allocate once more.
        var frames: [(ByteBuffer, EventLoopPromise<Void>?)] = []
        outbox.withLock { box in
            swap(&frames, &box.frames)
            box.scheduled = false
        }
        if let context = writer.value {
            Self.write(frames, allocator: channel.allocator) { context.write(NIOAny($0), promise: $1) }
            context.flush()
        } else {
            Self.write(frames, allocator: channel.allocator) { channel.write($0, promise: $1) }
            channel.flush()
        }
        noteWrite()
    }

    /// Records that frames went out now, which puts off the next heartbeat. On the event
    /// loop's own clock, so a test that moves an embedded loop's time moves this too.
    func noteWrite() {
        lastWriteNanoseconds.store(channel.eventLoop.now.uptimeNanoseconds, ordering: .relaxed)
    }

    var lastWrite: NIODeadline {
        .uptimeNanoseconds(lastWriteNanoseconds.load(ordering: .relaxed))
    }

    /// Writes frames gathered between two drains as few buffers as possible: each write costs
    /// a trip through the pipeline, which under load cost more than copying the bytes. A frame
    /// whose sender waits for it ends a buffer, so the promise still means "written".
    private static func write(
        _ frames: [(ByteBuffer, EventLoopPromise<Void>?)], allocator: ByteBufferAllocator,
        with write: (ByteBuffer, EventLoopPromise<Void>?) -> Void
    ) {
        if frames.count == 1, let (frame, promise) = frames.first {
            write(frame, promise)
            return
        }
        var merged = allocator.buffer(capacity: frames.reduce(0) { $0 + $1.0.readableBytes })
        for (frame, promise) in frames {
            var frame = frame
            merged.writeBuffer(&frame)
            if let promise {
                write(merged, promise)
                merged = allocator.buffer(capacity: 0)
            }
        }
        if merged.readableBytes > 0 { write(merged, nil) }
    }
}
