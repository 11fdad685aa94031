import CircleCore
import CircleProtocol
import CircleStore
import NIOCore
import Synchronization

/// One client's connection: who it is signed in as, which rooms it follows, and the way out.
///
/// Requests are handled one at a time in arrival order by the connection's task; replies to
/// writes are sent by the group committer once durable. Every frame goes out through `send`,
/// which may be called from any thread: NIO queues writes in call order.
final class Connection: Sendable {
    struct State {
        var greeted = false
        var caller: Caller?
        var name = ""
        var rooms: Set<RoomID> = []
        var badFrames = 0
        var failedSignIns = 0
        var closing = false
        /// The SHA-256 of the token this connection signed in with, to cut it off if revoked.
        var tokenHash: String?
        /// The request token bucket: tokens left, and when it was last filled.
        var bucket: Double = 0
        var bucketAt: Timestamp?
    }

    let channel: any Channel
    let context: ServerContext
    let state = Mutex(State())
    /// Frames waiting for this connection's event loop, and whether a drain is scheduled.
    /// Under load many frames gather between two drains, and go out in one write and flush.
    private let outbox = Mutex<(frames: [(ByteBuffer, EventLoopPromise<Void>?)], scheduled: Bool)>(([], false))
    /// Drains this connection's outbox on its loop, with the loop's other connections.
    private let drainer: LoopDrainer
    /// Frames the loop has handed to the connection's task and the task has not finished; the
    /// loop runs a request itself only when this is 0 (`handleOnLoop`).
    let queuedFrames = Atomic<Int>(0)
    /// When the connection was accepted, on the injected clock: the auth timeout counts from it.
    let openedAt: Timestamp
    /// When a frame last came in (milliseconds of the injected clock), for the idle logoff.
    private let lastInboundMilliseconds: Atomic<Int64>
    /// When frames last went out (uptime nanoseconds), for the heartbeat.
    private let lastWriteNanoseconds = Atomic<UInt64>(0)
    /// Where drains write: the guard's place in the pipeline, nearer the socket than the
    /// tail, so a frame skips the async channel's handler, which only passes it on. Until the
    /// guard is added (and after it is removed) frames go in at the tail.
    private let writer: NIOLoopBoundBox<ChannelHandlerContext?>

    init(channel: any Channel, context: ServerContext) {
        self.channel = channel
        self.context = context
        drainer = context.drainer(for: channel.eventLoop)
        openedAt = context.clock.now()
        lastInboundMilliseconds = Atomic(openedAt.milliseconds)
        writer = .makeEmptyBox(valueType: ChannelHandlerContext.self, eventLoop: channel.eventLoop)
    }

    /// Sets (or, with nil, clears) where drains write; on the connection's event loop.
    func writeThrough(_ context: ChannelHandlerContext?) {
        writer.value = context
    }

    /// Whether this connection follows a room whose session is open.
    var followsOpenSession: Bool {
        let rooms = state.withLock { $0.rooms }
        return rooms.contains { context.rooms[$0]?.read { $0.openSession != nil } ?? false }
    }

    func send(_ frame: ByteBuffer) {
        enqueue(frame, promise: nil)
    }

    /// Sends frames in order. Every send goes through one queue per connection, drained on its
    /// event loop: frames from many threads keep their order, and those that gather between
    /// two drains share one trip to the loop and one flush.
    func send(_ frames: [ByteBuffer]) {
        enqueue { queued in
            for frame in frames { queued.append((frame, nil)) }
        }
    }

    /// Sends a frame and waits until it has been written to the socket.
    func sendAndWait(_ frame: ByteBuffer) async throws {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        enqueue(frame, promise: promise)
        try await promise.futureResult.get()
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

    /// Records that a frame came in now, which puts off the idle logoff.
    func noteInbound() {
        lastInboundMilliseconds.store(context.clock.now().milliseconds, ordering: .relaxed)
    }

    var lastInbound: Timestamp {
        Timestamp(milliseconds: lastInboundMilliseconds.load(ordering: .relaxed))
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

    func reply(_ id: Int64?, _ result: some Encodable & Sendable) {
        guard let id else { return }
        do {
            send(try ServerFrame.encodeOK(id: id, result: result))
        } catch {
            send(ServerFrame.encodeError(id: id, CircleError(.internalError, "The reply could not be encoded.")))
        }
    }

    /// Replies with a read's result, or fails with why there is none.
    func answer(_ id: Int64?, _ result: Result<some Encodable & Sendable, CircleError>) {
        switch result {
        case .success(let value): reply(id, value)
        case .failure(let error): fail(id, error)
        }
    }

    /// Replies once `changes` are committed (an audit entry before a privileged read is
    /// answered, say), or fails with why they could not be.
    func reply(_ id: Int64?, _ result: some Encodable & Sendable, after changes: [StoreChange]) {
        context.store.committer.submit(changes) { [self] outcome in
            switch outcome {
            case .success: reply(id, result)
            case .failure(let error): fail(id, error)
            }
        }
    }

    func fail(_ id: Int64?, _ error: CircleError) {
        context.metrics?.refused(error.code)
        send(ServerFrame.encodeError(id: id, error))
    }

    /// Sends a last frame and closes once it is written: for errors after which the stream
    /// cannot be trusted, and for shutdown.
    func closeAfter(_ frame: ByteBuffer) {
        let first = state.withLock { state in
            defer { state.closing = true }
            return !state.closing
        }
        guard first else { return }
        let channel = channel
        let promise = channel.eventLoop.makePromise(of: Void.self)
        enqueue(frame, promise: promise)
        promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }

    var caller: Caller? {
        state.withLock { $0.caller }
    }

    var tokenHash: String? {
        state.withLock { $0.tokenHash }
    }

    var isClosing: Bool {
        state.withLock { $0.closing }
    }

    /// Takes one request from the bucket; when it is empty, the seconds until one is back.
    func takeRequestToken(at now: Timestamp) -> Double? {
        let rate = context.configuration.requestsPerSecond
        let burst = context.configuration.requestBurst
        guard rate > 0 else { return nil }
        return state.withLock { state in
            let elapsed = state.bucketAt.map { Double(now.milliseconds - $0.milliseconds) / 1000 } ?? .infinity
            state.bucket = min(burst, state.bucket + elapsed * rate)
            state.bucketAt = now
            guard state.bucket >= 1 else { return (1 - state.bucket) / rate }
            state.bucket -= 1
            return nil
        }
    }

    /// Drops every room subscription; called when the connection ends.
    func leaveAll() {
        let rooms = state.withLock { state in
            defer { state.rooms.removeAll() }
            return state.rooms
        }
        for id in rooms {
            guard let room = context.rooms[id] else { continue }
            room.hub.unsubscribe(self)
            if let caller { room.memberAway(caller.account) }
        }
    }
}
