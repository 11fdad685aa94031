import CircleCore
import Foundation
import NIOCore

extension Request {
    /// The request as one frame, newline included.
    public func frame(id: Int64) throws -> ByteBuffer {
        if case .say(let say) = self { return Self.sayFrame(say, id: id) }
        return try frameGenerally(id: id)
    }

    /// `frame` through JSONEncoder for every request; what the hand-written `say` must equal.
    /// Public so the fuzzer can check that.
    public func frameGenerally(id: Int64) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(Envelope(id: id, op: operation, body: body))
        data.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: data)
    }

    /// A `say` frame written by hand, byte for byte as JSONEncoder writes it with sorted keys:
    /// chat clients send little else, and the encoder cost more than the rest of a send.
    static func sayFrame(_ say: Say, id: Int64) -> ByteBuffer {
        var out: [UInt8] = []
        out.reserveCapacity(say.text.utf8.count + say.room.rawValue.utf8.count + 64)
        out.append(UInt8(ascii: "{"))
        JSONText.appendMember(#""cid":"#, string: say.cid, to: &out)
        JSONText.append(#""id":"#, to: &out)
        JSONText.append(int: id, to: &out)
        JSONText.append(#","op":"say","room":"#, to: &out)
        JSONText.append(string: say.room.rawValue, to: &out)
        JSONText.append(#","text":"#, to: &out)
        JSONText.append(string: say.text, to: &out)
        JSONText.append("}\n", to: &out)
        return ByteBuffer(bytes: out)
    }

    /// Parses one frame. On failure the error names what was wrong, and the request id is
    /// returned whenever it could be read so the error can be matched to its request.
    public static func parse(_ frame: ByteBuffer) -> (id: Int64?, request: Result<Request, CircleError>) {
        guard let bytes = utf8Bytes(frame) else {
            return (nil, .failure(CircleError(.invalidUTF8, "The frame is not valid UTF-8.")))
        }
        if let fast = bytes.withUnsafeBytes({ plainSay($0) }) { return fast }
        return parseGenerally(bytes)
    }

    /// `parse` for a plain `say` only (see `plainSay`); nil for every other frame, which
    /// `parse` reads instead. Lets the server pick out the one request it runs on the loop.
    public static func parsePlainSay(_ frame: ByteBuffer) -> (id: Int64?, request: Result<Request, CircleError>)? {
        utf8Bytes(frame)?.withUnsafeBytes { plainSay($0) }
    }

    /// The frame's bytes, if they are valid UTF-8.
    private static func utf8Bytes(_ frame: ByteBuffer) -> [UInt8]? {
        let bytes = Array(frame.readableBytesView)
        return String(validating: bytes, as: UTF8.self) == nil ? nil : bytes
    }

    /// `parse` without the hand-written path for plain `say` frames: JSONDecoder for all, on
    /// valid UTF-8. Public so the fuzzer can check that both paths agree.
    public static func parseGenerally(_ bytes: [UInt8]) -> (id: Int64?, request: Result<Request, CircleError>) {
        let data = Data(bytes)
        let decoder = JSONDecoder()
        let head: Head
        do {
            head = try decoder.decode(Head.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted = error {
                if let problem = JSONProblem.find(in: bytes) {
                    if problem.field == "id" {
                        return (nil, .failure(CircleError(.badField, "Field 'id' must be a whole number.")))
                    }
                    return (problem.id, .failure(problem.error))
                }
                return (nil, .failure(CircleError(.badJSON, "The frame is not a JSON object.")))
            }
            return (nil, .failure(fieldError(error)))
        } catch {
            return (nil, .failure(CircleError(.badJSON, "The frame is not a JSON object.")))
        }
        guard let opName = head.op else {
            return (head.id, .failure(CircleError(.missingField, "Field 'op' is missing.")))
        }
        guard let operation = CommandName(rawValue: opName), operation != .roundTick else {
            return (head.id, .failure(CircleError(.unknownOperation, "There is no operation '\(opName)'.")))
        }
        do {
            return (head.id, .success(try decodeBody(operation, from: data, decoder: decoder)))
        } catch {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let problem = JSONProblem.find(in: bytes)
            {
                return (head.id, .failure(problem.error))
            }
            return (head.id, .failure(fieldError(error)))
        }
    }

    /// A `say` in its plainest form (the shape every client sends), read without JSONDecoder;
    /// nil for anything else, which then goes the general way with the same outcome.
    public static func plainSay(_ bytes: UnsafeRawBufferPointer) -> (id: Int64?, request: Result<Request, CircleError>)?
    {
        guard let members = JSONText.flatObject(bytes) else { return nil }
        var id: Int64?
        var op: String?
        var room: String?
        var text: String?
        var cid: String?
        for (key, value) in members {
            switch (key, value) {
            case ("id", .int(let number)): id = number
            case ("id", .null): id = nil
            case ("op", .string(let name)): op = name
            case ("room", .string(let name)): room = name
            case ("text", .string(let string)): text = string
            case ("cid", .string(let string)): cid = string
            case ("cid", .null): cid = nil
            default: return nil
            }
        }
        guard op == "say", let room, let text else { return nil }
        return (id, .success(.say(Say(room: RoomID(room), text: text, cid: cid))))
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
        case .memberMute: return .memberMute(try decoder.decode(MemberSanction.self, from: data))
        case .memberUnmute: return .memberUnmute(try decoder.decode(MemberRef.self, from: data))
        case .memberRole: return .memberRole(try decoder.decode(MemberRole.self, from: data))
        case .memberKick: return .memberKick(try decoder.decode(MemberSanction.self, from: data))
        case .memberBan: return .memberBan(try decoder.decode(MemberSanction.self, from: data))
        case .memberUnban: return .memberUnban(try decoder.decode(MemberRef.self, from: data))
        case .messageRemove: return .messageRemove(try decoder.decode(MessageRemove.self, from: data))
        case .messageOriginal: return .messageOriginal(try decoder.decode(MessageRef.self, from: data))
        case .roomLock: return .roomLock(try decoder.decode(RoomRef.self, from: data))
        case .roomUnlock: return .roomUnlock(try decoder.decode(RoomRef.self, from: data))
        case .roomTopic: return .roomTopic(try decoder.decode(RoomText.self, from: data))
        case .floorSet: return .floorSet(try decoder.decode(FloorSet.self, from: data))
        case .handRaise: return .handRaise(try decoder.decode(RoomRef.self, from: data))
        case .handLower: return .handLower(try decoder.decode(HandLower.self, from: data))
        case .floorGive: return .floorGive(try decoder.decode(FloorGive.self, from: data))
        case .dmAllow: return .dmAllow(try decoder.decode(DirectMessagesAllow.self, from: data))
        case .dm: return .dm(try decoder.decode(DirectMessage.self, from: data))
        case .sideOpen: return .sideOpen(try decoder.decode(MemberRef.self, from: data))
        case .noteAdd: return .noteAdd(try decoder.decode(NoteAdd.self, from: data))
        case .noteList: return .noteList(try decoder.decode(MemberRef.self, from: data))
        case .goalSet: return .goalSet(try decoder.decode(GoalSet.self, from: data))
        case .goalRevise: return .goalRevise(try decoder.decode(GoalRevise.self, from: data))
        case .goalStatus: return .goalStatus(try decoder.decode(GoalStatus.self, from: data))
        case .sharedGoalAdd: return .sharedGoalAdd(try decoder.decode(RoomText.self, from: data))
        case .sharedGoalDecide: return .sharedGoalDecide(try decoder.decode(SharedGoalDecide.self, from: data))
        case .roomSettings: return .roomSettings(try decoder.decode(RoomSettings.self, from: data))
        case .roundStart: return .roundStart(try decoder.decode(RoundStart.self, from: data))
        case .roundPass: return .roundPass(try decoder.decode(RoomRef.self, from: data))
        case .checkIn: return .checkIn(try decoder.decode(CheckInSubmit.self, from: data))
        case .roundSkip: return .roundSkip(try decoder.decode(RoomRef.self, from: data))
        case .roundExtend: return .roundExtend(try decoder.decode(RoundExtend.self, from: data))
        case .roundClose: return .roundClose(try decoder.decode(RoomRef.self, from: data))
        case .roundWho: return .roundWho(try decoder.decode(RoomRef.self, from: data))
        case .attendanceSet: return .attendanceSet(try decoder.decode(AttendanceSet.self, from: data))
        case .progress: return .progress(try decoder.decode(ProgressQuery.self, from: data))
        case .overview: return .overview(try decoder.decode(RoomRef.self, from: data))
        case .journalAdd: return .journalAdd(try decoder.decode(JournalAdd.self, from: data))
        case .journalList: return .journalList(try decoder.decode(JournalList.self, from: data))
        case .journalShare: return .journalShare(try decoder.decode(JournalShare.self, from: data))
        case .journalSummary: return .journalSummary(try decoder.decode(JournalSummary.self, from: data))
        case .journalShared: return .journalShared(try decoder.decode(ProgressQuery.self, from: data))
        case .archiveExport: return .archiveExport(try decoder.decode(ArchiveExport.self, from: data))
        case .archiveMine: return .archiveMine(try decoder.decode(RoomRef.self, from: data))
        case .archiveRead: return .archiveRead(try decoder.decode(ArchiveRead.self, from: data))
        case .tokenRevoke: return .tokenRevoke
        case .roundTick: throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a request"))
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
