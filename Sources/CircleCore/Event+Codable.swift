extension Event: Codable {
    enum CodingKeys: String, CodingKey {
        case room, seq, session, at, actor, audience, kind, data
    }

    enum DataKeys: String, CodingKey {
        case name
        case ownerName = "owner_name"
        case invite, uses
        case expiresAt = "expires_at"
        case member, role, number, text, version, message, phrase, until
        case author, reason, mode, seconds, allowed, room, parent, of
        case goal, horizon, target, visibility, status, accepted, prompt, queue, instrument, outcome, items
        case summary, early, session
        case maxGoals = "max_goals"
        case crossTalk = "cross_talk"
        case roundKind = "round_kind"
        case turnSeconds = "turn_seconds"
        case endsAt = "ends_at"
        case checkIn = "check_in"
        case clientID = "cid"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        room = try container.decode(RoomID.self, forKey: .room)
        seq = try container.decode(Int64.self, forKey: .seq)
        session = try container.decodeIfPresent(Int.self, forKey: .session)
        at = try container.decode(Timestamp.self, forKey: .at)
        actor = try container.decodeIfPresent(AccountID.self, forKey: .actor)
        audience = try container.decode(Audience.self, forKey: .audience)
        let kind = try container.decode(String.self, forKey: .kind)
        body = try EventBody.decode(kind: kind, from: container.nestedContainer(keyedBy: DataKeys.self, forKey: .data))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(room, forKey: .room)
        try container.encode(seq, forKey: .seq)
        try container.encodeIfPresent(session, forKey: .session)
        try container.encode(at, forKey: .at)
        try container.encodeIfPresent(actor, forKey: .actor)
        try container.encode(audience, forKey: .audience)
        try container.encode(body.kind, forKey: .kind)
        var data = container.nestedContainer(keyedBy: DataKeys.self, forKey: .data)
        try body.encode(into: &data)
    }
}

extension EventBody {
    /// Encodes only the body's fields, for storage beside the indexed columns.
    func encode(into data: inout KeyedEncodingContainer<Event.DataKeys>) throws {
        switch self {
        case .roomCreated(let name, let ownerName):
            try data.encode(name, forKey: .name)
            try data.encode(ownerName, forKey: .ownerName)
        case .inviteCreated(let invite, let uses, let expiresAt, let role):
            try data.encode(invite, forKey: .invite)
            try data.encode(uses, forKey: .uses)
            try data.encodeIfPresent(expiresAt, forKey: .expiresAt)
            try data.encode(role, forKey: .role)
        case .memberJoined(let member, let name, let role, let invite):
            try data.encode(member, forKey: .member)
            try data.encode(name, forKey: .name)
            try data.encode(role, forKey: .role)
            try data.encodeIfPresent(invite, forKey: .invite)
        case .sessionOpened(let number), .sessionClosed(let number):
            try data.encode(number, forKey: .number)
        case .message(let text, let clientID):
            try data.encode(text, forKey: .text)
            try data.encodeIfPresent(clientID, forKey: .clientID)
        case .agreementsSet(let version, let text):
            try data.encode(version, forKey: .version)
            try data.encode(text, forKey: .text)
        case .agreementsAccepted(let version):
            try data.encode(version, forKey: .version)
        case .helpRequested(let note):
            try data.encodeIfPresent(note, forKey: .text)
        case .riskAlert(let message, let phrase):
            try data.encode(message, forKey: .message)
            try data.encode(phrase, forKey: .phrase)
        case .crisisCard(let text):
            try data.encode(text, forKey: .text)
        case .memberMuted(let member, let until, let reason):
            try data.encode(member, forKey: .member)
            try data.encodeIfPresent(until, forKey: .until)
            try data.encode(reason, forKey: .text)
        case .memberUnmuted(let member), .memberUnbanned(let member), .handLowered(let member):
            try data.encode(member, forKey: .member)
        case .memberRoleChanged(let member, let role):
            try data.encode(member, forKey: .member)
            try data.encode(role, forKey: .role)
        case .memberKicked(let member, let reason):
            try data.encode(member, forKey: .member)
            try data.encode(reason, forKey: .reason)
        case .memberBanned(let member, let until, let reason):
            try data.encode(member, forKey: .member)
            try data.encodeIfPresent(until, forKey: .until)
            try data.encode(reason, forKey: .reason)
        case .messageRemoved(let message, let author, let reason):
            try data.encode(message, forKey: .message)
            try data.encode(author, forKey: .author)
            try data.encode(reason, forKey: .reason)
        case .roomLocked, .handRaised:
            break
        case .topicSet(let text):
            try data.encode(text, forKey: .text)
        case .floorModeSet(let mode, let seconds):
            try data.encode(mode, forKey: .mode)
            try data.encodeIfPresent(seconds, forKey: .seconds)
        case .floorGiven(let member, let until):
            try data.encodeIfPresent(member, forKey: .member)
            try data.encodeIfPresent(until, forKey: .until)
        case .directMessagesSet(let allowed):
            try data.encode(allowed, forKey: .allowed)
        case .sideRoomOpened(let room, let member):
            try data.encode(room, forKey: .room)
            try data.encode(member, forKey: .member)
        case .sideRoomCreated(let parent, let member, let name):
            try data.encode(parent, forKey: .parent)
            try data.encode(member, forKey: .member)
            try data.encode(name, forKey: .name)
        case .withheld(let kind):
            try data.encode(kind, forKey: .of)
        case .goalSet(let goal):
            try data.encode(goal, forKey: .goal)
        case .goalRevised(let goal, let text, let horizon, let target, let visibility, let reason):
            try data.encode(goal, forKey: .goal)
            try data.encode(text, forKey: .text)
            try data.encode(horizon, forKey: .horizon)
            try data.encodeIfPresent(target, forKey: .target)
            try data.encode(visibility, forKey: .visibility)
            try data.encode(reason, forKey: .reason)
        case .goalStatusSet(let goal, let status, let reason):
            try data.encode(goal, forKey: .goal)
            try data.encode(status, forKey: .status)
            try data.encodeIfPresent(reason, forKey: .reason)
        case .sharedGoalAdded(let goal, let text), .sharedGoalProposed(let goal, let text):
            try data.encode(goal, forKey: .goal)
            try data.encode(text, forKey: .text)
        case .sharedGoalDecided(let goal, let accepted, let reason):
            try data.encode(goal, forKey: .goal)
            try data.encode(accepted, forKey: .accepted)
            try data.encodeIfPresent(reason, forKey: .reason)
        case .settingsSet(let maxGoals, let crossTalk):
            try data.encode(maxGoals, forKey: .maxGoals)
            try data.encode(crossTalk, forKey: .crossTalk)
        case .roundStarted(let number, let kind, let prompt, let queue, let turnSeconds, let instrument):
            try data.encode(number, forKey: .number)
            try data.encode(kind, forKey: .roundKind)
            try data.encode(prompt, forKey: .prompt)
            try data.encode(queue, forKey: .queue)
            try data.encodeIfPresent(turnSeconds, forKey: .turnSeconds)
            try data.encodeIfPresent(instrument, forKey: .instrument)
        case .turnBegan(let member, let endsAt):
            try data.encode(member, forKey: .member)
            try data.encodeIfPresent(endsAt, forKey: .endsAt)
        case .turnWarned(let member):
            try data.encode(member, forKey: .member)
        case .turnExtended(let member, let endsAt):
            try data.encode(member, forKey: .member)
            try data.encode(endsAt, forKey: .endsAt)
        case .turnEnded(let member, let outcome):
            try data.encode(member, forKey: .member)
            try data.encode(outcome, forKey: .outcome)
        case .checkInRecorded(let member, let checkIn), .checkInPrivate(let member, let checkIn):
            try data.encode(member, forKey: .member)
            try data.encode(checkIn, forKey: .checkIn)
        case .instrumentAlert(let member, let instrument, let items):
            try data.encode(member, forKey: .member)
            try data.encode(instrument, forKey: .instrument)
            try data.encode(items, forKey: .items)
        case .roundEnded(let number, let summary, let early):
            try data.encode(number, forKey: .number)
            try data.encode(summary, forKey: .summary)
            try data.encode(early, forKey: .early)
        case .attendanceSet(let member, let session, let status):
            try data.encode(member, forKey: .member)
            try data.encode(session, forKey: .session)
            try data.encode(status, forKey: .status)
        }
    }

    static func decode(kind: String, from data: KeyedDecodingContainer<Event.DataKeys>) throws -> EventBody {
        switch kind {
        case "room_created":
            return .roomCreated(
                name: try data.decode(String.self, forKey: .name),
                ownerName: try data.decode(String.self, forKey: .ownerName))
        case "invite_created":
            return .inviteCreated(
                invite: try data.decode(InviteID.self, forKey: .invite),
                uses: try data.decode(Int.self, forKey: .uses),
                expiresAt: try data.decodeIfPresent(Timestamp.self, forKey: .expiresAt),
                role: try data.decodeIfPresent(RoomRole.self, forKey: .role) ?? .participant)
        case "member_joined":
            return .memberJoined(
                member: try data.decode(AccountID.self, forKey: .member),
                name: try data.decode(String.self, forKey: .name),
                role: try data.decode(RoomRole.self, forKey: .role),
                invite: try data.decodeIfPresent(InviteID.self, forKey: .invite))
        case "session_opened":
            return .sessionOpened(number: try data.decode(Int.self, forKey: .number))
        case "session_closed":
            return .sessionClosed(number: try data.decode(Int.self, forKey: .number))
        case "message":
            return .message(
                text: try data.decode(String.self, forKey: .text),
                clientID: try data.decodeIfPresent(String.self, forKey: .clientID))
        case "agreements_set":
            return .agreementsSet(
                version: try data.decode(Int.self, forKey: .version), text: try data.decode(String.self, forKey: .text))
        case "risk_alert":
            return .riskAlert(
                message: try data.decode(Int64.self, forKey: .message),
                phrase: try data.decode(String.self, forKey: .phrase))
        case "member_muted":
            return .memberMuted(
                member: try data.decode(AccountID.self, forKey: .member),
                until: try data.decodeIfPresent(Timestamp.self, forKey: .until),
                reason: try data.decode(String.self, forKey: .text))
        case "member_unmuted":
            return .memberUnmuted(member: try data.decode(AccountID.self, forKey: .member))
        case "crisis_card":
            return .crisisCard(text: try data.decode(String.self, forKey: .text))
        case "help_requested":
            return .helpRequested(note: try data.decodeIfPresent(String.self, forKey: .text))
        case "agreements_accepted":
            return .agreementsAccepted(version: try data.decode(Int.self, forKey: .version))
        case "member_role_changed":
            return .memberRoleChanged(
                member: try data.decode(AccountID.self, forKey: .member),
                role: try data.decode(RoomRole.self, forKey: .role))
        case "member_kicked":
            return .memberKicked(
                member: try data.decode(AccountID.self, forKey: .member),
                reason: try data.decode(String.self, forKey: .reason))
        case "member_banned":
            return .memberBanned(
                member: try data.decode(AccountID.self, forKey: .member),
                until: try data.decodeIfPresent(Timestamp.self, forKey: .until),
                reason: try data.decode(String.self, forKey: .reason))
        case "member_unbanned":
            return .memberUnbanned(member: try data.decode(AccountID.self, forKey: .member))
        case "message_removed":
            return .messageRemoved(
                message: try data.decode(Int64.self, forKey: .message),
                author: try data.decode(AccountID.self, forKey: .author),
                reason: try data.decode(String.self, forKey: .reason))
        case "room_locked":
            return .roomLocked(true)
        case "room_unlocked":
            return .roomLocked(false)
        case "topic_set":
            return .topicSet(text: try data.decode(String.self, forKey: .text))
        case "floor_mode_set":
            return .floorModeSet(
                mode: try data.decode(FloorMode.self, forKey: .mode),
                seconds: try data.decodeIfPresent(Int.self, forKey: .seconds))
        case "hand_raised":
            return .handRaised
        case "hand_lowered":
            return .handLowered(member: try data.decode(AccountID.self, forKey: .member))
        case "floor_given":
            return .floorGiven(
                member: try data.decodeIfPresent(AccountID.self, forKey: .member),
                until: try data.decodeIfPresent(Timestamp.self, forKey: .until))
        case "direct_messages_set":
            return .directMessagesSet(allowed: try data.decode(Bool.self, forKey: .allowed))
        case "side_room_opened":
            return .sideRoomOpened(
                room: try data.decode(RoomID.self, forKey: .room),
                member: try data.decode(AccountID.self, forKey: .member))
        case "side_room_created":
            return .sideRoomCreated(
                parent: try data.decode(RoomID.self, forKey: .parent),
                member: try data.decode(AccountID.self, forKey: .member),
                name: try data.decode(String.self, forKey: .name))
        case "withheld":
            return .withheld(kind: try data.decode(String.self, forKey: .of))
        default:
            return try decodeTracking(kind: kind, from: data)
        }
    }

    /// Goals, rounds, check-ins and attendance.
    private static func decodeTracking(kind: String, from data: KeyedDecodingContainer<Event.DataKeys>) throws
        -> EventBody
    {
        switch kind {
        case "goal_set":
            return .goalSet(goal: try data.decode(Goal.self, forKey: .goal))
        case "goal_revised":
            return .goalRevised(
                goal: try data.decode(GoalID.self, forKey: .goal), text: try data.decode(String.self, forKey: .text),
                horizon: try data.decode(Goal.Horizon.self, forKey: .horizon),
                target: try data.decodeIfPresent(String.self, forKey: .target),
                visibility: try data.decode(Goal.Visibility.self, forKey: .visibility),
                reason: try data.decode(String.self, forKey: .reason))
        case "goal_status_set":
            return .goalStatusSet(
                goal: try data.decode(GoalID.self, forKey: .goal),
                status: try data.decode(Goal.Status.self, forKey: .status),
                reason: try data.decodeIfPresent(String.self, forKey: .reason))
        case "shared_goal_added", "shared_goal_proposed":
            let goal = try data.decode(GoalID.self, forKey: .goal)
            let text = try data.decode(String.self, forKey: .text)
            return kind == "shared_goal_added"
                ? .sharedGoalAdded(goal: goal, text: text) : .sharedGoalProposed(goal: goal, text: text)
        case "shared_goal_decided":
            return .sharedGoalDecided(
                goal: try data.decode(GoalID.self, forKey: .goal),
                accepted: try data.decode(Bool.self, forKey: .accepted),
                reason: try data.decodeIfPresent(String.self, forKey: .reason))
        case "settings_set":
            return .settingsSet(
                maxGoals: try data.decode(Int.self, forKey: .maxGoals),
                crossTalk: try data.decode(CrossTalk.self, forKey: .crossTalk))
        case "round_started":
            return .roundStarted(
                number: try data.decode(Int.self, forKey: .number),
                kind: try data.decode(Round.Kind.self, forKey: .roundKind),
                prompt: try data.decode(String.self, forKey: .prompt),
                queue: try data.decode([AccountID].self, forKey: .queue),
                turnSeconds: try data.decodeIfPresent(Int.self, forKey: .turnSeconds),
                instrument: try data.decodeIfPresent(String.self, forKey: .instrument))
        case "turn_began":
            return .turnBegan(
                member: try data.decode(AccountID.self, forKey: .member),
                endsAt: try data.decodeIfPresent(Timestamp.self, forKey: .endsAt))
        case "turn_warned":
            return .turnWarned(member: try data.decode(AccountID.self, forKey: .member))
        case "turn_extended":
            return .turnExtended(
                member: try data.decode(AccountID.self, forKey: .member),
                endsAt: try data.decode(Timestamp.self, forKey: .endsAt))
        case "turn_ended":
            return .turnEnded(
                member: try data.decode(AccountID.self, forKey: .member),
                outcome: try data.decode(Round.Outcome.self, forKey: .outcome))
        case "check_in", "check_in_private":
            let member = try data.decode(AccountID.self, forKey: .member)
            let checkIn = try data.decode(CheckIn.self, forKey: .checkIn)
            return kind == "check_in"
                ? .checkInRecorded(member: member, checkIn: checkIn) : .checkInPrivate(member: member, checkIn: checkIn)
        case "instrument_alert":
            return .instrumentAlert(
                member: try data.decode(AccountID.self, forKey: .member),
                instrument: try data.decode(String.self, forKey: .instrument),
                items: try data.decode([Int].self, forKey: .items))
        case "round_ended":
            return .roundEnded(
                number: try data.decode(Int.self, forKey: .number),
                summary: try data.decode([Round.SummaryLine].self, forKey: .summary),
                early: try data.decode(Bool.self, forKey: .early))
        case "attendance_set":
            return .attendanceSet(
                member: try data.decode(AccountID.self, forKey: .member),
                session: try data.decode(Int.self, forKey: .session),
                status: try data.decode(Attendance.self, forKey: .status))
        default:
            throw DecodingError.dataCorrupted(
                .init(codingPath: data.codingPath, debugDescription: "unknown event kind '\(kind)'"))
        }
    }
}
