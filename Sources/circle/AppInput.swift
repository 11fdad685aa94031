import CircleClient
import CircleCore
import CircleProtocol
import CircleUI

/// Everything that can wake the chat screen's loop. Results of requests come back as `update`
/// closures, so the state is only ever changed on the loop.
enum AppInput: Sendable {
    case bytes([UInt8])
    case escapeTimeout
    case resize
    case tick
    /// Stop; `reason` is said on stderr after the terminal is restored (nil: the person quit).
    case quit(reason: String?)
    case connected(CircleConnection, Reply.Hello, generation: Int)
    case connectFailed(String, generation: Int)
    case frame(ServerFrame, generation: Int)
    case disconnected(generation: Int)
    case reconnectNow(generation: Int)
    /// Every room was re-joined after a (re)connect: unsent messages can go now.
    case resumed(generation: Int)
    case update(@Sendable (inout ChatState) -> Void)
    /// A room was followed again: what was typed for it meanwhile can go now.
    case resendPending(room: RoomID)
}
