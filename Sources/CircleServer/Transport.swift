import CircleCore
import CircleProtocol
import Foundation
import NIOCore

/// What a connection's handlers send, before any wire says how it reads: a reply, a refusal,
/// the history they page out, a goodbye. Each transport writes them in its own protocol
/// (newline JSON for `LineTransport`); the handlers never encode a frame.
enum Outbound: Sendable {
    /// A request's result.
    case reply(id: Int64, result: any Encodable & Sendable)
    /// A write's acknowledgement: its event's seq, and whether it had been stored before.
    case appended(id: Int64, seq: Int64, duplicate: Bool)
    /// A refusal, matched to its request when the id could be read.
    case error(id: Int64?, CircleError)
    /// A committed event as the log stores it, for history and resumes.
    case storedEvent(json: Data)
    /// Where retention purged a span the history would have had.
    case purged(PurgedSpan)
    /// The connection is ending, and why.
    case bye(CircleError)
    /// A frame encoded once and shared by many recipients (a room's fan-out), passed through.
    case encoded(ByteBuffer)

    /// As a newline-JSON frame, newline included.
    var frame: ByteBuffer {
        switch self {
        case .reply(let id, let result):
            do {
                return try ServerFrame.encodeOK(id: id, result: result)
            } catch {
                return ServerFrame.encodeError(id: id, CircleError(.internalError, "The reply could not be encoded."))
            }
        case .appended(let id, let seq, let duplicate):
            return ServerFrame.encodeAppended(id: id, seq: seq, duplicate: duplicate)
        case .error(let id, let error): return ServerFrame.encodeError(id: id, error)
        case .storedEvent(let json): return ServerFrame.eventFrame(json: json)
        case .purged(let span): return ServerFrame.encodePurged(span)
        case .bye(let reason): return ServerFrame.encodeBye(reason)
        case .encoded(let frame): return frame
        }
    }
}

/// Where a connection's messages go, and how it ends: the wire's side of a connection, under
/// the handlers. The newline-JSON socket is one (`LineTransport`); `InProcessConnection` is
/// another, with no socket at all, so a test body runs through the same handlers in process and
/// over TCP.
protocol Transport: AnyObject, Sendable {
    /// Sends in order; callable from any thread.
    func send(_ message: Outbound)
    func send(_ messages: [Outbound])
    /// Sends and returns once written: for pacing a long backlog.
    func sendAndWait(_ message: Outbound) async throws
    /// Sends a last message, then closes.
    func close(after message: Outbound)
    /// Closes at once: for a reader that fell too far behind to be owed more.
    func abort()
    /// Whom per-address limits count this connection under; nil for none.
    var remoteAddress: SocketAddress? { get }
}
