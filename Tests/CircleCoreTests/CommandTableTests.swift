import CircleCore
import Testing

@Suite struct CommandTableTests {
    /// The permissions as a reviewer would state them, walked against the table for every role.
    static let expectedRoomRoles: [CommandName: Set<RoomRole>] = [
        .inviteCreate: [.facilitator, .coFacilitator],
        .sessionOpen: [.facilitator, .coFacilitator],
        .sessionClose: [.facilitator, .coFacilitator],
        .join: Set(RoomRole.allCases),
        .leave: Set(RoomRole.allCases),
        .say: [.facilitator, .coFacilitator, .participant],
        .history: Set(RoomRole.allCases),
        .auditList: [.facilitator, .coFacilitator],
        .agreementsSet: [.facilitator, .coFacilitator],
        .agreementsAccept: Set(RoomRole.allCases),
        .helpSignal: Set(RoomRole.allCases),
        .memberMute: [.facilitator, .coFacilitator],
        .memberUnmute: [.facilitator, .coFacilitator],
        .memberRole: [.facilitator],
        .memberKick: [.facilitator, .coFacilitator],
        .memberBan: [.facilitator, .coFacilitator],
        .memberUnban: [.facilitator, .coFacilitator],
        .messageRemove: [.facilitator, .coFacilitator],
        .messageOriginal: [.facilitator, .coFacilitator],
        .roomLock: [.facilitator, .coFacilitator],
        .roomUnlock: [.facilitator, .coFacilitator],
        .roomTopic: [.facilitator, .coFacilitator],
        .floorSet: [.facilitator, .coFacilitator],
        .handRaise: [.participant],
        .handLower: [.facilitator, .coFacilitator, .participant],
        .floorGive: [.facilitator, .coFacilitator, .participant],
        .dmAllow: [.facilitator, .coFacilitator],
        .dm: Set(RoomRole.allCases),
        .sideOpen: [.facilitator, .coFacilitator],
        .noteAdd: [.facilitator, .coFacilitator],
        .noteList: [.facilitator, .coFacilitator],
        .goalSet: [.facilitator, .coFacilitator, .participant],
        .goalRevise: [.facilitator, .coFacilitator, .participant],
        .goalStatus: [.facilitator, .coFacilitator, .participant],
        .sharedGoalAdd: [.facilitator, .coFacilitator, .participant],
        .sharedGoalDecide: [.facilitator, .coFacilitator],
        .roomSettings: [.facilitator, .coFacilitator],
        .roundStart: [.facilitator, .coFacilitator],
        .roundPass: [.participant],
        .checkIn: [.participant],
        .roundSkip: [.facilitator, .coFacilitator],
        .roundExtend: [.facilitator, .coFacilitator],
        .roundClose: [.facilitator, .coFacilitator],
        .roundWho: Set(RoomRole.allCases),
        .attendanceSet: [.facilitator, .coFacilitator],
        .progress: [.facilitator, .coFacilitator, .participant],
        .overview: [.facilitator, .coFacilitator],
        .journalShared: [.facilitator, .coFacilitator],
        .roundTick: [],
        .archiveExport: [.facilitator, .coFacilitator],
        .archiveMine: [.facilitator, .coFacilitator, .participant],
        .archiveRead: Set(RoomRole.allCases),
    ]

    @Test(arguments: CommandName.allCases)
    func everyRoleAgainstEveryCommand(_ command: CommandName) {
        for kind in AccountKind.allCases {
            for role in [nil] + RoomRole.allCases.map(Optional.some) {
                let allowed = (try? CommandTable.authorize(command, account: kind, roomRole: role).get()) != nil
                let expected: Bool
                switch command {
                case .hello, .ping, .redeem: expected = true
                case .roomCreate: expected = kind == .facilitator
                case .roomList, .journalAdd, .journalList, .journalShare, .journalSummary, .tokenRevoke: expected = true
                default: expected = role.map { Self.expectedRoomRoles[command]?.contains($0) ?? false } ?? false
                }
                #expect(allowed == expected, "\(command) by \(kind) as \(role?.rawValue ?? "non-member")")
            }
        }
    }

    @Test(arguments: CommandName.allCases)
    func signedOutCallersMayOnlyGreetPingAndRedeem(_ command: CommandName) {
        let allowed = (try? CommandTable.authorize(command, account: nil, roomRole: nil).get()) != nil
        #expect(allowed == [.hello, .ping, .redeem].contains(command))
    }

    @Test func everyCommandHasARule() {
        for command in CommandName.allCases { #expect(CommandTable.rules[command] != nil, "\(command)") }
    }

    @Test func observersCannotSpeak() throws {
        #expect(throws: CircleError.self) {
            try CommandTable.authorize(.say, account: .participant, roomRole: .observer).get()
        }
    }

    @Test func aRefusalNamesTheActionInWordsNeverAnOpName() {
        let refused = CommandTable.authorize(.sharedGoalDecide, account: .participant, roomRole: .participant)
        #expect(
            refused.failure?.message
                == "Only facilitators and co-facilitators can decide on shared goals; you are a participant here.")
        #expect(
            CommandTable.authorize(.say, account: .participant, roomRole: .observer).failure?.message
                == "Only facilitators, co-facilitators and participants can write in the room; you are an observer here."
        )
        #expect(
            CommandTable.authorize(.roomCreate, account: .participant, roomRole: nil).failure?.message
                == "Only facilitator accounts can create rooms.")
        #expect(
            CommandTable.authorize(.join, account: nil, roomRole: nil).failure?.message
                == "Sign in first to join the room.")
        for command in CommandName.allCases {
            for role in RoomRole.allCases {
                let message = CommandTable.authorize(command, account: .participant, roomRole: role).failure?.message
                #expect(message?.contains(command.rawValue + "'") != true, "\(command)")
            }
        }
    }
}

extension Result {
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}
