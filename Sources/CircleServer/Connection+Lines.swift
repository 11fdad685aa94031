import CircleCore
import CircleProtocol
import NIOCore

/// The newline-JSON front end's way in: a frame is parsed here, counted against the limits on
/// bad frames and request rates, and then handled as a `Request`, which is all the handlers see.
extension Connection {
    /// Handles one inbound frame: parses it, checks it, runs it.
    func handle(frame: ByteBuffer) async {
        let (id, parsed) = Request.parse(frame)
        guard let request = admit(id, parsed) else { return }
        await handle(request, id: id)
    }

    /// Handles a plain `say` from a signed-in member on the event loop it arrived on, and
    /// returns false for any other frame, which then goes to the connection's task. A message
    /// costs no task hop that way: the loop only locks the room and hands the event to the
    /// committer, nothing that can block it. Only while no frame is queued for the task, so
    /// requests still run in the order they arrived.
    func handleOnLoop(_ frame: ByteBuffer) -> Bool {
        guard queuedFrames.load(ordering: .acquiring) == 0, let (id, parsed) = Request.parsePlainSay(frame),
            case .success(let request) = parsed, case .say(let say) = request
        else { return false }
        let caller = state.withLock { state in state.greeted && !state.closing ? state.caller : nil }
        guard let caller, let room = context.rooms[say.room] else { return false }
        // A client id the room may have forgotten is checked against the log: a read, which
        // belongs on the connection's task, not on the loop.
        if let cid = say.cid, room.read({ $0.mayHaveForgotten(cid, of: caller.account) }) { return false }
        guard admit(id, parsed) != nil else { return true }
        guard case .command(_, let command) = route(request, id: id, caller: caller) else { return false }
        switch command {
        case .failure(let error): fail(id, error)
        case .success(let command): run(command, in: room, id: id, caller: caller)
        }
        return true
    }

    /// Counts unreadable frames (closing after too many in a row) and spends a request token;
    /// the request to run, or nil when the frame has been answered already.
    private func admit(_ id: Int64?, _ parsed: Result<Request, CircleError>) -> Request? {
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
