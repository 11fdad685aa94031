import CircleCore
import CircleProtocol

/// A slash command that is exactly one write to the current room, naming members by their
/// display names. Turning it into a request needs the room, to find those names.
public enum RoomAction: Hashable, Sendable {
    /// `seconds` nil: until lifted.
    case mute(name: String, seconds: Int64?, reason: String)
    case unmute(name: String)
    case kick(name: String, reason: String)
    case ban(name: String, seconds: Int64?, reason: String)
    case unban(name: String)
    case role(name: String, role: RoomRole)
    case remove(seq: Int64, reason: String)
    case lock
    case unlock
    case topic(String)
    case floor(FloorMode, seconds: Int?)
    case raiseHand
    /// Your own hand when `name` is nil.
    case lowerHand(name: String?)
    /// Gives the floor or passes the piece; nil takes it back.
    case give(name: String?, seconds: Int64?)
    case directMessages(Bool)
    /// To one member by name, or to the facilitators when nil.
    case privately(to: String?, text: String)
    case goal(text: String, horizon: Goal.Horizon, visibility: Goal.Visibility, target: String?)
    case reviseGoal(GoalID, text: String, reason: String)
    case goalStatus(GoalID, Goal.Status)
    case sharedGoal(String)
    case decideSharedGoal(GoalID, accept: Bool)
    case settings(maxGoals: Int?, crossTalk: CrossTalk?)
    case startRound(kind: Round.Kind, order: Round.Order, seconds: Int?, instrument: String?, prompt: String)
    case pass
    case skip
    case extend(seconds: Int)
    case closeRound
    case checkIn(CheckIn)
    case attendance(name: String, Attendance)

    /// The request this action makes in `room`, or what was wrong with it.
    public func request(in room: RoomView) -> Result<Request, UsageError> {
        func member(_ name: String) -> Result<AccountID, UsageError> {
            room.member(named: name).map { .success($0) } ?? .failure(UsageError(RoomView.noOneCalled(name)))
        }
        let id = room.id
        switch self {
        case .mute(let name, let seconds, let reason):
            return member(name).map { .memberMute(.init(room: id, member: $0, duration: seconds, reason: reason)) }
        case .unmute(let name):
            return member(name).map { .memberUnmute(.init(room: id, member: $0)) }
        case .kick(let name, let reason):
            return member(name).map { .memberKick(.init(room: id, member: $0, reason: reason)) }
        case .ban(let name, let seconds, let reason):
            return member(name).map { .memberBan(.init(room: id, member: $0, duration: seconds, reason: reason)) }
        case .unban(let name):
            return member(name).map { .memberUnban(.init(room: id, member: $0)) }
        case .role(let name, let role):
            return member(name).map { .memberRole(.init(room: id, member: $0, role: role)) }
        case .remove(let seq, let reason):
            return .success(.messageRemove(.init(room: id, seq: seq, reason: reason)))
        case .lock:
            return .success(.roomLock(.init(room: id)))
        case .unlock:
            return .success(.roomUnlock(.init(room: id)))
        case .topic(let text):
            return .success(.roomTopic(.init(room: id, text: text)))
        case .floor(let mode, let seconds):
            return .success(.floorSet(.init(room: id, mode: mode, seconds: seconds)))
        case .raiseHand:
            return .success(.handRaise(.init(room: id)))
        case .lowerHand(let name):
            guard let name else { return .success(.handLower(.init(room: id))) }
            return member(name).map { .handLower(.init(room: id, member: $0)) }
        case .give(let name, let seconds):
            guard let name else { return .success(.floorGive(.init(room: id))) }
            return member(name).map { .floorGive(.init(room: id, member: $0, duration: seconds)) }
        case .directMessages(let allowed):
            return .success(.dmAllow(.init(room: id, allowed: allowed)))
        case .privately(let name, let text):
            guard let name else { return .success(.dm(.init(room: id, text: text))) }
            return member(name).map { .dm(.init(room: id, to: $0, text: text)) }
        case .goal(let text, let horizon, let visibility, let target):
            return .success(
                .goalSet(.init(room: id, text: text, horizon: horizon, target: target, visibility: visibility)))
        case .reviseGoal(let goal, let text, let reason):
            return .success(.goalRevise(.init(room: id, goal: goal, text: text, reason: reason)))
        case .goalStatus(let goal, let status):
            return .success(.goalStatus(.init(room: id, goal: goal, status: status)))
        case .sharedGoal(let text):
            return .success(.sharedGoalAdd(.init(room: id, text: text)))
        case .decideSharedGoal(let goal, let accept):
            return .success(.sharedGoalDecide(.init(room: id, goal: goal, accept: accept)))
        case .settings(let maxGoals, let crossTalk):
            return .success(.roomSettings(.init(room: id, maxGoals: maxGoals, crossTalk: crossTalk)))
        case .startRound(let kind, let order, let seconds, let instrument, let prompt):
            return .success(
                .roundStart(
                    .init(
                        room: id, kind: kind, prompt: prompt, order: order, turnSeconds: seconds, instrument: instrument
                    )))
        case .pass:
            return .success(.roundPass(.init(room: id)))
        case .skip:
            return .success(.roundSkip(.init(room: id)))
        case .extend(let seconds):
            return .success(.roundExtend(.init(room: id, seconds: seconds)))
        case .closeRound:
            return .success(.roundClose(.init(room: id)))
        case .checkIn(let checkIn):
            return .success(
                .checkIn(
                    .init(
                        room: id, ratings: checkIn.ratings, answers: checkIn.answers, note: checkIn.note,
                        kept: checkIn.kept, commitment: checkIn.commitment)))
        case .attendance(let name, let status):
            return member(name).map { .attendanceSet(.init(room: id, member: $0, status: status)) }
        }
    }
}
