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

    /// Encodes an event once, as stored and as sent inside an event frame.
    public static func encodeEventJSON(_ event: Event) throws -> Data {
        try makeEncoder().encode(event)
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

    private struct Bye: Encodable {
        var type = "bye"
        var code: ErrorCode
        var message: String
    }
}
