import CircleCore
import Foundation
import NIOCore

extension Request {
    /// The request as one frame, newline included.
    public func frame(id: Int64) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(Envelope(id: id, op: operation, body: body))
        data.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: data)
    }

    /// The operation's own fields, encoded beside `id` and `op`.
    private var body: (any Encodable)? {
        switch self {
        case .ping, .roomList: return nil
        case .hello(let body): return body
        case .redeem(let body): return body
        case .roomCreate(let body): return body
        case .inviteCreate(let body): return body
        case .sessionOpen(let body), .sessionClose(let body), .leave(let body): return body
        case .join(let body): return body
        case .say(let body): return body
        case .history(let body): return body
        case .auditList(let body): return body
        case .agreementsSet(let body): return body
        case .agreementsAccept(let body): return body
        case .helpSignal(let body): return body
        case .memberMute(let body): return body
        case .memberUnmute(let body): return body
        }
    }

    /// Parses one frame. On failure the error names what was wrong, and the request id is
    /// returned whenever it could be read so the error can be matched to its request.
    public static func parse(_ frame: ByteBuffer) -> (id: Int64?, request: Result<Request, CircleError>) {
        let bytes = Array(frame.readableBytesView)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return (nil, .failure(CircleError(.invalidUTF8, "The frame is not valid UTF-8.")))
        }
        let data = Data(bytes)
        let decoder = JSONDecoder()
        let head: Head
        do {
            head = try decoder.decode(Head.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted = error {
                return (nil, .failure(CircleError(.badJSON, "The frame is not a JSON object.")))
            }
            return (nil, .failure(fieldError(error)))
        } catch {
            return (nil, .failure(CircleError(.badJSON, "The frame is not a JSON object.")))
        }
        guard let opName = head.op else {
            return (head.id, .failure(CircleError(.missingField, "Field 'op' is missing.")))
        }
        guard let operation = CommandName(rawValue: opName) else {
            return (head.id, .failure(CircleError(.unknownOperation, "There is no operation '\(opName)'.")))
        }
        do {
            return (head.id, .success(try decodeBody(operation, from: data, decoder: decoder)))
        } catch {
            return (head.id, .failure(fieldError(error)))
        }
    }

    private static func decodeBody(
        _ operation: CommandName, from data: Data, decoder: JSONDecoder
    ) throws(DecodingError) -> Request {
        do {
            return try decodeBodyUntyped(operation, from: data, decoder: decoder)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(error)"))
        }
    }

    private static func decodeBodyUntyped(_ operation: CommandName, from data: Data, decoder: JSONDecoder) throws
        -> Request
    {
        switch operation {
        case .hello: return .hello(try decoder.decode(Hello.self, from: data))
        case .ping: return .ping
        case .redeem: return .redeem(try decoder.decode(Redeem.self, from: data))
        case .roomCreate: return .roomCreate(try decoder.decode(RoomCreate.self, from: data))
        case .roomList: return .roomList
        case .inviteCreate: return .inviteCreate(try decoder.decode(InviteCreate.self, from: data))
        case .sessionOpen: return .sessionOpen(try decoder.decode(RoomRef.self, from: data))
        case .sessionClose: return .sessionClose(try decoder.decode(RoomRef.self, from: data))
        case .join: return .join(try decoder.decode(Join.self, from: data))
        case .leave: return .leave(try decoder.decode(RoomRef.self, from: data))
        case .say: return .say(try decoder.decode(Say.self, from: data))
        case .history: return .history(try decoder.decode(History.self, from: data))
        case .auditList: return .auditList(try decoder.decode(AuditList.self, from: data))
        case .agreementsSet: return .agreementsSet(try decoder.decode(AgreementsSet.self, from: data))
        case .agreementsAccept: return .agreementsAccept(try decoder.decode(AgreementsAccept.self, from: data))
        case .helpSignal: return .helpSignal(try decoder.decode(HelpSignal.self, from: data))
        case .memberMute: return .memberMute(try decoder.decode(MemberMute.self, from: data))
        case .memberUnmute: return .memberUnmute(try decoder.decode(MemberRef.self, from: data))
        }
    }

    private static func fieldError(_ error: DecodingError) -> CircleError {
        switch error {
        case .keyNotFound(let key, _):
            return CircleError(.missingField, "Field '\(key.stringValue)' is missing.")
        case .valueNotFound(_, let context):
            return CircleError(.missingField, "Field '\(fieldName(context))' is missing.")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return CircleError(.badJSON, "The frame is not a JSON object.")
        case .typeMismatch(let type, let context):
            return CircleError(.badField, "Field '\(fieldName(context))' must be \(typeName(type)).")
        case .dataCorrupted(let context):
            return CircleError(.badField, "Field '\(fieldName(context))' is not valid: \(context.debugDescription)")
        @unknown default:
            return CircleError(.badJSON, "The frame could not be read.")
        }
    }

    private static func fieldName(_ context: DecodingError.Context) -> String {
        context.codingPath.map(\.stringValue).joined(separator: ".")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is RoomID.Type, is AccountID.Type: return "a string"
        case is Int.Type, is Int64.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        default: return "a \(type)"
        }
    }

    private struct Head: Decodable {
        var id: Int64?
        var op: String?
    }

    private struct Envelope: Encodable {
        var id: Int64
        var op: CommandName
        var body: (any Encodable)?

        enum CodingKeys: String, CodingKey { case id, op }

        func encode(to encoder: any Encoder) throws {
            // The body's fields sit beside id and op in one flat object.
            try body?.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(op, forKey: .op)
        }
    }
}
