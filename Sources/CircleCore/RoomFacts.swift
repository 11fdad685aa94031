/// What anyone who reads a room's events knows of it: its name, members, session, agreements,
/// sanctions of speech, topic, lock, floor, round and shared goals. The server's `RoomState`
/// and a client's view of the room both hold one and change it only through `apply`, so a
/// rule about what an event does to the room is written once.
public struct RoomFacts: Hashable, Sendable, Codable {
    public var name = ""
    public var members: [AccountID: Member] = [:]
    /// Members in the order they joined; rounds default to this order.
    public var memberOrder: [AccountID] = []
    /// The number of the session now open, if any.
    public var openSession: Int?
    /// When the open session began, for the elapsed time people see.
    public var sessionStartedAt: Timestamp?
    /// The current agreements: version 1 is the default text, set when the room is created.
    public var agreementsVersion = 0
    public var agreementsText = ""
    /// Who is muted, until when and why.
    public var muted: [AccountID: Sanction] = [:]
    /// Whether new members are kept out.
    public var locked = false
    public var topic = ""
    public var floor = Floor()
    /// Whether members may write privately to each other (they may always write to the facilitators).
    public var directMessagesAllowed = false
    /// For a side room: the room it was opened from.
    public var parent: RoomID?
    /// The round running now.
    public var round: Round?
    /// The group's shared goals in the order they came.
    public var sharedGoals: [SharedGoal] = []

    public init() {}

    /// Folds one event. It asks nothing of the order or completeness of what it is given, so a
    /// client that sees only its audience's events, from a join onwards, folds them the same.
    public mutating func apply(_ event: Event) {
        switch event.body {
        case .roomCreated(let name, let ownerName):
            self.name = name
            if let actor = event.actor {
                addMember(Member(id: actor, name: ownerName, role: .facilitator, joinedAt: event.at))
            }
        case .memberJoined(let member, let name, let role, _):
            addMember(Member(id: member, name: name, role: role, joinedAt: event.at))
        case .sideRoomCreated(let parent, let member, let name):
            self.parent = parent
            addMember(Member(id: member, name: name, role: .participant, joinedAt: event.at))
        case .sessionOpened(let number):
            openSession = number
            sessionStartedAt = event.at
        case .sessionClosed:
            openSession = nil
            sessionStartedAt = nil
        case .agreementsSet(let version, let text):
            agreementsVersion = version
            agreementsText = text
        case .memberMuted(let member, let until, let reason):
            muted[member] = Sanction(until: until, reason: reason)
        case .memberUnmuted(let member):
            muted[member] = nil
        case .memberRoleChanged(let member, let role):
            members[member]?.role = role
            floor.apply(event)
        case .memberKicked, .memberBanned, .floorModeSet, .handRaised, .handLowered, .floorGiven:
            floor.apply(event)
        case .roomLocked(let locked):
            self.locked = locked
        case .topicSet(let text):
            topic = text
        case .directMessagesSet(let allowed):
            directMessagesAllowed = allowed
        case .sharedGoalAdded, .sharedGoalProposed, .sharedGoalDecided:
            SharedGoal.apply(event, to: &sharedGoals)
        case .roundStarted, .turnBegan, .turnWarned, .turnExtended, .turnEnded, .roundEnded:
            Round.apply(event, to: &round)
        // What these change is kept by the server's state alone (invites, bans, removed
        // messages, goals, records), or nothing at all.
        case .inviteCreated, .message, .agreementsAccepted, .helpRequested, .riskAlert, .crisisCard,
            .memberUnbanned, .messageRemoved, .sideRoomOpened, .goalSet, .goalRevised, .goalStatusSet,
            .settingsSet, .checkInRecorded, .checkInPrivate, .instrumentAlert, .attendanceSet, .withheld:
            break
        }
    }

    private mutating func addMember(_ member: Member) {
        if members[member.id] == nil { memberOrder.append(member.id) }
        members[member.id] = member
    }
}
