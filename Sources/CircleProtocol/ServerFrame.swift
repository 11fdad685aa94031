import CircleCore
import Foundation
import NIOCore

/// A frame from the server, as a client reads it.
public enum ServerFrame: Sendable {
    /// A successful reply; `frame` is the whole frame, for `result(as:)` to decode.
    case ok(id: Int64, frame: Data)
    /// A refusal: of one request when `id` is set, of the connection otherwise.
    case error(id: Int64?, CircleError)
    case event(Event)
    case presence(Presence)
    /// The server's heartbeat on a quiet connection.
    case ping
    /// The server is closing the connection, and why.
    case bye(CircleError)

    public static func parse(_ frame: ByteBuffer) throws -> ServerFrame {
        let data = Data(frame.readableBytesView)
        let decoder = JSONDecoder()
        let head = try decoder.decode(Head.self, from: data)
        switch head.type {
        case "ok":
            guard let id = head.id else {
                throw DecodingError.keyNotFound(
                    Keys.id, .init(codingPath: [], debugDescription: "a reply without an id"))
            }
            return .ok(id: id, frame: data)
        case "error":
            return .error(id: head.id, CircleError(head.code ?? .internalError, head.message ?? ""))
        case "event":
            return .event(try decoder.decode(EventBody.self, from: data).event)
        case "presence":
            return .presence(try decoder.decode(PresenceBody.self, from: data).presence)
        case "ping":
            return .ping
        case "bye":
            return .bye(CircleError(head.code ?? .shuttingDown, head.message ?? ""))
        default:
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "unknown frame type '\(head.type)'"))
        }
    }

    private struct Head: Decodable {
        var type: String
        var id: Int64?
        var code: ErrorCode?
        var message: String?
    }

    private enum Keys: String, CodingKey { case id }

    /// Decodes the `result` of an `ok` frame as the type its request expects.
    public static func result<Result: Decodable>(_ frame: Data, as type: Result.Type) throws -> Result {
        try JSONDecoder().decode(OkBody<Result>.self, from: frame).result
    }

    private struct OkBody<Result: Decodable>: Decodable {
        var result: Result
    }

    private struct EventBody: Decodable {
        var event: Event
    }

    private struct PresenceBody: Decodable {
        var presence: Presence
    }
}
