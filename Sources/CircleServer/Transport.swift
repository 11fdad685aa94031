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
    /// What a room fans out to many recipients: typed, for a front end that speaks its own
    /// protocol, and encoded once as a JSON line for those that pass it through.
    case shared(Shared)

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
        case .shared(let shared): return shared.line
        }
    }
}

/// A committed event or a presence change as a room fans it out: encoded once, whoever the
/// recipients, and still typed for a transport that writes another protocol (IRC).
struct Shared: Sendable {
    enum Content: Sendable {
        case event(Event)
        case presence(Presence)
    }

    let content: Content
    /// The newline-JSON frame, newline included.
    let line: ByteBuffer

    init(_ event: Event, json: Data) {
        content = .event(event)
        line = ServerFrame.eventFrame(json: json)
    }

    init(_ presence: Presence) {
        content = .presence(presence)
        line = ServerFrame.encodePresence(presence)
    }

    /// About how many bytes it takes on the wire.
    var size: Int { line.readableBytes }
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
    /// The peer's IP address, which per-address limits count the connection under; nil for
    /// none (in process).
    var remoteIP: String? { get }
}
