import CircleCore
import CircleProtocol
import CircleStore
import Foundation
import Synchronization

/// One client's connection as the handlers see it: who it is signed in as, which rooms it
/// follows, and its transport, the way out.
///
/// Requests are handled one at a time in arrival order by the connection's task; replies to
/// writes are sent by the group committer once durable. Every frame goes out through `send`,
/// which may be called from any thread: the transport keeps them in call order.
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

    /// The wire under this connection: where its frames go.
    let transport: any Transport
    let context: ServerContext
    let state = Mutex(State())
    /// When the connection was accepted, on the injected clock: the auth timeout counts from it.
    let openedAt: Timestamp
    /// When a frame last came in (milliseconds of the injected clock), for the idle logoff.
    private let lastInboundMilliseconds: Atomic<Int64>

    init(transport: any Transport, context: ServerContext) {
        self.transport = transport
        self.context = context
        openedAt = context.clock.now()
        lastInboundMilliseconds = Atomic(openedAt.milliseconds)
    }

    /// Whether this connection follows a room whose session is open.
    var followsOpenSession: Bool {
        let rooms = state.withLock { $0.rooms }
        return rooms.contains { context.rooms[$0]?.read { $0.openSession != nil } ?? false }
    }

    func send(_ message: Outbound) {
        transport.send(message)
    }

    func send(_ messages: [Outbound]) {
        transport.send(messages)
    }

    /// Sends and waits until it has been written.
    func sendAndWait(_ message: Outbound) async throws {
        try await transport.sendAndWait(message)
    }

    /// Records that a frame came in now, which puts off the idle logoff.
    func noteInbound() {
        // Every frame passes here; with no idle logoff, nothing reads it.
        guard context.configuration.idleLogoffSeconds > 0 else { return }
        lastInboundMilliseconds.store(context.clock.now().milliseconds, ordering: .relaxed)
    }

    var lastInbound: Timestamp {
        Timestamp(milliseconds: lastInboundMilliseconds.load(ordering: .relaxed))
    }

    func reply(_ id: Int64?, _ result: some Encodable & Sendable) {
        guard let id else { return }
        send(.reply(id: id, result: result))
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
        send(.error(id: id, error))
    }

    /// Sends a last message and closes once it is written: for errors after which the stream
    /// cannot be trusted, and for shutdown.
    func closeAfter(_ message: Outbound) {
        let first = state.withLock { state in
            defer { state.closing = true }
            return !state.closing
        }
        guard first else { return }
        transport.close(after: message)
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

    /// Runs a plain `say` at once, on the caller's thread, and returns false for anything that
    /// must wait for the connection's task: a request that is not a `say`, a caller not yet
    /// signed in, or a client id the room may have forgotten (checking it reads the store).
    func handleAtOnce(_ request: Request, id: Int64?, parsed: Result<Request, CircleError>) -> Bool {
        guard case .say(let say) = request else { return false }
        let caller = state.withLock { state in state.greeted && !state.closing ? state.caller : nil }
        guard let caller, let room = context.rooms[say.room] else { return false }
        if let cid = say.cid, room.read({ $0.mayHaveForgotten(cid, of: caller.account) }) { return false }
        guard admit(id, parsed) != nil else { return true }
        guard case .command(_, let command) = route(request, id: id, caller: caller) else { return false }
        switch command {
        case .failure(let error): fail(id, error)
        case .success(let command): run(command, in: room, id: id, caller: caller)
        }
        return true
    }

    /// Counts unreadable requests (closing after too many in a row) and spends a request
    /// token; the request to run, or nil when it has been answered already. Every front end
    /// admits what it parsed through here.
    func admit(_ id: Int64?, _ parsed: Result<Request, CircleError>) -> Request? {
        switch parsed {
        case .failure(let error):
            let tooMany = state.withLock { state in
                state.badFrames += 1
                return state.badFrames >= context.configuration.maxBadFrames
            }
            if tooMany {
                context.metrics?.refused(.tooManyBadFrames)
                closeAfter(
                    .error(
                        id: id, CircleError(.tooManyBadFrames, "Too many unreadable frames in a row; closing.")))
            } else {
                fail(id, error)
            }
            return nil
        case .success(let request):
            state.withLock { $0.badFrames = 0 }
            if let wait = takeRequestToken(at: context.clock.now()) {
                fail(
                    id,
                    CircleError(
                        .rateLimited,
                        "Too many requests at once; try again in \(String(format: "%.1f", max(wait, 0.1))) s."))
                return nil
            }
            return request
        }
    }
}
