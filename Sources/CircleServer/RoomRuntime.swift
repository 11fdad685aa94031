import CircleCore
import CircleProtocol
import CircleStore
import NIOCore
import Synchronization

/// One live room: its state, the single place commands are decided, and its hub.
///
/// Commands for a room are decided one at a time under its lock and handed to the group
/// committer before the lock is released, so the committer sees each room's events in
/// sequence order. The state runs ahead of the disk by the commits still in flight; if a commit
/// fails the committer stops for good, so that lead can never turn into a gap.
final class RoomRuntime: Sendable {
    let id: RoomID
    let hub: RoomHub
    private let state: Mutex<RoomState>
    private let committer: GroupCommitter
    private let safety: SafetySettings

    init(state: RoomState, committer: GroupCommitter, configuration: ServerConfiguration) {
        id = state.id
        hub = RoomHub(room: state.id, published: state.lastSeq, heldLimit: configuration.outboundLimit)
        self.state = Mutex(state)
        self.committer = committer
        safety = configuration.safety
    }

    /// Rebuilds a room from its log.
    static func load(_ id: RoomID, from store: Store, configuration: ServerConfiguration) throws -> RoomRuntime {
        var state = RoomState(id: id)
        try store.replay(room: id) { state.apply($0) }
        return RoomRuntime(state: state, committer: store.committer, configuration: configuration)
    }

    /// Reads the state under the lock.
    func read<T>(_ body: (RoomState) -> T) -> T {
        state.withLock { body($0) }
    }

    /// Decides `command` and, if it changes the room, commits its events together with
    /// `extra` (rows the request needs beside them). `completion` runs once: after the commit
    /// and the fan-out, or at once when the command is refused.
    func execute(
        _ command: RoomCommand, by caller: Caller, at now: Timestamp, extra: [StoreChange] = [],
        completion: @escaping @Sendable (Result<Decision, CircleError>) -> Void
    ) {
        state.withLock { state in
            let decision: Decision
            do throws(CircleError) {
                decision = try state.execute(command, by: caller, at: now, safety: safety)
            } catch {
                completion(.failure(error))
                return
            }
            switch decision {
            case .duplicate:
                // Answer only once the original is durable: it may still be in flight.
                committer.submit([]) { result in completion(result.map { decision }) }
            case .append(let events):
                let encoded: [(event: Event, json: [UInt8])]
                do {
                    encoded = try events.map { ($0, Array(try ServerFrame.encodeEventJSON($0))) }
                } catch {
                    completion(.failure(CircleError(.internalError, "The event could not be encoded.")))
                    return
                }
                let changes = extra + encoded.map { StoreChange.event($0.event, json: .init($0.json)) }
                let hub = hub
                committer.submit(changes) { result in
                    if case .success = result {
                        hub.publish(encoded.map { ($0.event, ServerFrame.eventFrame(json: $0.json)) })
                    }
                    completion(result.map { decision })
                }
            }
        }
    }
}
