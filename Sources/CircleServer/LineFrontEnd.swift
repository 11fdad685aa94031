import CircleCore
import CircleProtocol
import NIOCore
import Synchronization

/// The newline-JSON protocol's way in: a frame is parsed here, and the request it holds goes
/// to the connection's handlers, which never see a frame. It also picks each frame's lane: a
/// plain `say` on the event loop it arrived on, anything else on the connection's task.
final class LineFrontEnd: Sendable {
    let connection: Connection
    /// Frames the loop has handed to the connection's task and the task has not finished; the
    /// loop runs a request itself only when this is 0 (`handleOnLoop`).
    private let queuedFrames = Atomic<Int>(0)

    init(connection: Connection) {
        self.connection = connection
    }

    /// Counts a frame the loop hands to the connection's task.
    func queued() {
        queuedFrames.add(1, ordering: .releasing)
    }

    /// Handles one frame the loop handed over: parses it, checks it, runs it.
    func handleQueued(_ frame: ByteBuffer) async {
        await handle(frame)
        queuedFrames.subtract(1, ordering: .releasing)
    }

    /// Handles one inbound frame: parses it, checks it, runs it.
    func handle(_ frame: ByteBuffer) async {
        let (id, parsed) = Request.parse(frame)
        guard let request = connection.admit(id, parsed) else { return }
        await connection.handle(request, id: id)
    }

    /// Handles a plain `say` from a signed-in member on the event loop it arrived on, and
    /// returns false for any other frame, which then goes to the connection's task. A message
    /// costs no task hop that way: the loop only locks the room and hands the event to the
    /// committer, nothing that can block it. Only while no frame is queued for the task, so
    /// requests still run in the order they arrived.
    func handleOnLoop(_ frame: ByteBuffer) -> Bool {
        guard queuedFrames.load(ordering: .acquiring) == 0, let (id, parsed) = Request.parsePlainSay(frame),
            case .success(let request) = parsed
        else { return false }
        return connection.handleAtOnce(request, id: id, parsed: parsed)
    }
}
