import CircleCore
import Foundation
import NIOCore

extension ServerFrame {
    /// The encoder every frame uses: sorted keys so that equal frames are equal bytes.
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `{"type":"ok","id":…,"result":…}`
    public static func encodeOK(id: Int64, result: some Encodable & Sendable) throws -> ByteBuffer {
        try line(Ok(id: id, result: result))
    }

    /// `{"type":"error","id":…,"code":…,"message":…}`; `id` is null when the request's id
    /// could not be read.
    public static func encodeError(id: Int64?, _ error: CircleError) -> ByteBuffer {
        // Every field is a plain string or number, so this cannot fail.
        try! line(Failure(id: id, code: error.code, message: error.message))
    }

    /// Encodes an event once, as stored and as sent inside an event frame. Messages, most of
    /// the log, are written by hand, byte for byte as JSONEncoder writes them.
    public static func encodeEventJSON(_ event: Event) throws -> Data {
        if let fast = messageJSON(event) { return Data(fast) }
        return try makeEncoder().encode(event)
    }

    /// A message event's JSON with sorted keys, or nil for any other event.
    static func messageJSON(_ event: Event) -> [UInt8]? {
        guard case .message(let text, let clientID) = event.body else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 160)
        out.append(UInt8(ascii: "{"))
        JSONText.appendMember(#""actor":"#, string: event.actor?.rawValue, to: &out)
        JSONText.append(#""at":"#, to: &out)
        JSONText.append(int: event.at.milliseconds, to: &out)
        JSONText.append(#","audience":"#, to: &out)
        JSONText.append(string: event.audience.description, to: &out)
        JSONText.append(#","data":{"#, to: &out)
        JSONText.appendMember(#""cid":"#, string: clientID, to: &out)
        JSONText.append(#""text":"#, to: &out)
        JSONText.append(string: text, to: &out)
        JSONText.append(#"},"kind":"message","room":"#, to: &out)
        JSONText.append(string: event.room.rawValue, to: &out)
        JSONText.append(#","seq":"#, to: &out)
        JSONText.append(int: event.seq, to: &out)
        if let session = event.session {
            JSONText.append(#","session":"#, to: &out)
            JSONText.append(int: Int64(session), to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `{"id":…,"result":{"duplicate":…,"seq":…},"type":"ok"}`: the reply to every message,
    /// written by hand like `messageJSON`.
    public static func encodeAppended(id: Int64, seq: Int64, duplicate: Bool) -> ByteBuffer {
        var out: [UInt8] = []
        out.reserveCapacity(80)
        JSONText.append(#"{"id":"#, to: &out)
        JSONText.append(int: id, to: &out)
        JSONText.append(
            duplicate ? #","result":{"duplicate":true,"seq":"# : #","result":{"duplicate":false,"seq":"#, to: &out)
        JSONText.append(int: seq, to: &out)
        JSONText.append("},\"type\":\"ok\"}\n", to: &out)
        return ByteBuffer(bytes: out)
    }

    /// `{"type":"event","event":…}` around an event already encoded by `encodeEventJSON`, so
    /// history and fan-out never encode an event twice.
    public static func eventFrame(json: some Collection<UInt8>) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(json.count + 32)
        buffer.writeStaticString(#"{"type":"event","event":"#)
        buffer.writeBytes(json)
        buffer.writeStaticString("}\n")
        return buffer
    }

    public static func encodePresence(_ presence: Presence) -> ByteBuffer {
        try! line(PresenceFrame(presence: presence))
    }

    public static func encodePurged(_ span: PurgedSpan) -> ByteBuffer {
        try! line(PurgedFrame(purged: span))
    }

    public static func encodePing() -> ByteBuffer {
        ByteBuffer(staticString: "{\"type\":\"ping\"}\n")
    }

    public static func encodeBye(_ reason: CircleError) -> ByteBuffer {
        try! line(Bye(code: reason.code, message: reason.message))
    }

    private static func line(_ value: some Encodable) throws -> ByteBuffer {
        var data = try makeEncoder().encode(value)
        data.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: data)
    }

    private struct Ok<Result: Encodable>: Encodable {
        var type = "ok"
        var id: Int64
        var result: Result
    }

    private struct Failure: Encodable {
        var type = "error"
        var id: Int64?
        var code: ErrorCode
        var message: String

        enum CodingKeys: String, CodingKey { case type, id, code, message }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(id, forKey: .id)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
        }
    }

    private struct PresenceFrame: Encodable {
        var type = "presence"
        var presence: Presence
    }

    private struct PurgedFrame: Encodable {
        var type = "purged"
        var purged: PurgedSpan
    }

    private struct Bye: Encodable {
        var type = "bye"
        var code: ErrorCode
        var message: String
    }
}
