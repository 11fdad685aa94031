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
    /// Events a resume reached that retention purged: they are in an archive, not coming.
    case purged(PurgedSpan)
    /// The server's heartbeat on a quiet connection.
    case ping
    /// The server is closing the connection, and why.
    case bye(CircleError)

    public static func parse(_ frame: ByteBuffer) throws -> ServerFrame {
        let data = Data(frame.readableBytesView)
        // A reply, the frame a client reads most after events: its id is read by hand and
        // the result left for `result` to decode, as the general path below does too.
        if let id = okID(data) { return .ok(id: id, frame: data) }
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
        case "purged":
            return .purged(try decoder.decode(PurgedBody.self, from: data).purged)
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
        if Result.self == Reply.Appended.self, let appended = appended(frame) { return appended as! Result }
        return try resultGenerally(frame, as: type)
    }

    /// `result` through JSONDecoder alone; public so the fuzzer can hold the hand-written reader
    /// of replies to it.
    public static func resultGenerally<Result: Decodable>(_ frame: Data, as type: Result.Type) throws -> Result {
        try JSONDecoder().decode(OkBody<Result>.self, from: frame).result
    }

    private static let okHead = Array(#"{"id":"#.utf8)
    private static let okTail = Array(#","type":"ok"}"#.utf8)
    private static let appendedHead = Array(#","result":{"duplicate":"#.utf8)

    /// The id of an `ok` frame in the shape the server writes (sorted keys: `{"id":N,"result":
    /// …,"type":"ok"}`), or nil for anything else, which JSONDecoder then reads.
    static func okID(_ frame: Data) -> Int64? {
        var bytes = frame[...]
        if bytes.last == UInt8(ascii: "\n") { bytes = bytes.dropLast() }
        guard bytes.starts(with: okHead), bytes.suffix(okTail.count).elementsEqual(okTail) else { return nil }
        let digits = bytes.dropFirst(okHead.count).prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard let id = number(digits), bytes.dropFirst(okHead.count + digits.count).starts(with: okResult)
        else { return nil }
        return id
    }

    private static let okResult = Array(#","result":"#.utf8)

    /// A JSON whole number short enough not to overflow, without the leading zeros JSON forbids.
    private static func number(_ digits: Data.SubSequence) -> Int64? {
        guard !digits.isEmpty, digits.count <= 18, digits.count == 1 || digits.first != UInt8(ascii: "0") else {
            return nil
        }
        return digits.reduce(Int64(0)) { $0 * 10 + Int64($1 - 0x30) }
    }

    /// The reply to a `say` in exactly the shape the server writes it, or nil.
    static func appended(_ frame: Data) -> Reply.Appended? {
        var bytes = frame[...]
        if bytes.last == UInt8(ascii: "\n") { bytes = bytes.dropLast() }
        guard okID(frame) != nil else { return nil }
        let afterID = bytes.dropFirst(okHead.count).drop { $0 >= 0x30 && $0 <= 0x39 }
        guard afterID.starts(with: appendedHead) else { return nil }
        var rest = afterID.dropFirst(appendedHead.count)
        let duplicate: Bool
        if rest.starts(with: "true".utf8) {
            duplicate = true
            rest = rest.dropFirst(4)
        } else if rest.starts(with: "false".utf8) {
            duplicate = false
            rest = rest.dropFirst(5)
        } else {
            return nil
        }
        guard rest.starts(with: #","seq":"#.utf8) else { return nil }
        rest = rest.dropFirst(7)
        let digits = rest.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard let seq = number(digits), rest.dropFirst(digits.count).elementsEqual([UInt8(ascii: "}")] + okTail)
        else { return nil }
        return Reply.Appended(seq: seq, duplicate: duplicate)
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

    private struct PurgedBody: Decodable {
        var purged: PurgedSpan
    }
}
