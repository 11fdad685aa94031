/// The one declarative table of who may run what. Every request is checked here before it runs;
/// an operation missing from the table is refused (deny by default).
public enum CommandTable {
    /// Who may run an operation.
    public enum Rule: Hashable, Sendable {
        /// Anyone, before or after authentication (protocol housekeeping, redeeming an invite).
        case anyone
        /// Any authenticated account, outside any room.
        case account(Set<AccountKind>)
        /// A member of the named room holding one of these roles.
        case room(Set<RoomRole>)
    }

    static let facilitating: Set<RoomRole> = [.facilitator, .coFacilitator]
    static let everyMember = Set(RoomRole.allCases)

    /// The table itself. Keep it literal: reviewers read permissions here and nowhere else.
    public static let rules: [CommandName: Rule] = [
        .hello: .anyone,
        .ping: .anyone,
        .redeem: .anyone,
        .roomCreate: .account([.facilitator]),
        .roomList: .account(Set(AccountKind.allCases)),
        .inviteCreate: .room(facilitating),
        .sessionOpen: .room(facilitating),
        .sessionClose: .room(facilitating),
        .join: .room(everyMember),
        .leave: .room(everyMember),
        .say: .room([.facilitator, .coFacilitator, .participant]),
        .history: .room(everyMember),
        .auditList: .room(facilitating),
        .agreementsSet: .room(facilitating),
        .agreementsAccept: .room(everyMember),
        .helpSignal: .room(everyMember),
        .memberMute: .room(facilitating),
        .memberUnmute: .room(facilitating),
        .memberRole: .room([.facilitator]),
        .memberKick: .room(facilitating),
        .memberBan: .room(facilitating),
        .memberUnban: .room(facilitating),
        .messageRemove: .room(facilitating),
        .messageOriginal: .room(facilitating),
        .roomLock: .room(facilitating),
        .roomUnlock: .room(facilitating),
        .roomTopic: .room(facilitating),
        .floorSet: .room(facilitating),
        .handRaise: .room([.participant]),
        .handLower: .room([.facilitator, .coFacilitator, .participant]),
        // Facilitators give the floor; a participant only passes a talking piece they hold.
        .floorGive: .room([.facilitator, .coFacilitator, .participant]),
        .dmAllow: .room(facilitating),
        // Observers too, but only to the facilitators (RoomState.decide).
        .dm: .room(everyMember),
        .sideOpen: .room(facilitating),
        .noteAdd: .room(facilitating),
        .noteList: .room(facilitating),
        // Participants keep their own goals; facilitators set them with a member (RoomState.decide).
        .goalSet: .room([.facilitator, .coFacilitator, .participant]),
        .goalRevise: .room([.facilitator, .coFacilitator, .participant]),
        .goalStatus: .room([.facilitator, .coFacilitator, .participant]),
        // A participant's shared goal is a proposal; a facilitator's is the group's at once.
        .sharedGoalAdd: .room([.facilitator, .coFacilitator, .participant]),
        .sharedGoalDecide: .room(facilitating),
        .roomSettings: .room(facilitating),
        .roundStart: .room(facilitating),
        .roundPass: .room([.participant]),
        .checkIn: .room([.participant]),
        .roundSkip: .room(facilitating),
        .roundExtend: .room(facilitating),
        .roundClose: .room(facilitating),
        .attendanceSet: .room(facilitating),
        // A participant sees their own progress; facilitators anyone's.
        .progress: .room([.facilitator, .coFacilitator, .participant]),
        .overview: .room(facilitating),
        .journalAdd: .account(Set(AccountKind.allCases)),
        .journalList: .account(Set(AccountKind.allCases)),
        .journalShare: .account(Set(AccountKind.allCases)),
        .journalSummary: .account(Set(AccountKind.allCases)),
        .journalShared: .room(facilitating),
        .archiveExport: .room(facilitating),
        // Everything that is a member's own, as an archive.
        .archiveMine: .room([.facilitator, .coFacilitator, .participant]),
        // Whose file it is decides further: a member's export is theirs alone.
        .archiveRead: .room(everyMember),
        .tokenRevoke: .account(Set(AccountKind.allCases)),
        // Listed so the table stays complete; no role may send it (the server issues it itself).
        .roundTick: .room([]),
    ]

    /// Whether `operation` may run for a caller with this account kind (nil before
    /// authentication) and this role in the room the request names (nil when not a member or
    /// when the request names no room).
    public static func authorize(
        _ operation: CommandName, account: AccountKind?, roomRole: RoomRole?
    ) -> Result<Void, CircleError> {
        guard let rule = rules[operation] else {
            return .failure(CircleError(.forbidden, "No one may \(operation.action) here."))
        }
        switch rule {
        case .anyone:
            return .success(())
        case .account(let kinds):
            guard let account else {
                return .failure(CircleError(.notAuthenticated, "Sign in first to \(operation.action)."))
            }
            guard kinds.contains(account) else {
                return .failure(
                    CircleError(.forbidden, "Only \(names(of: kinds)) accounts can \(operation.action)."))
            }
            return .success(())
        case .room(let roles):
            guard account != nil else {
                return .failure(CircleError(.notAuthenticated, "Sign in first to \(operation.action)."))
            }
            guard let roomRole else {
                return .failure(CircleError(.notAMember, "You are not a member of that room."))
            }
            guard roles.contains(roomRole) else {
                return .failure(
                    CircleError(
                        .forbidden,
                        "Only \(plural(roles)) can \(operation.action); you are \(roomRole.withArticle) here."))
            }
            return .success(())
        }
    }

    /// Whether the operation names a room and is checked against the caller's role there.
    public static func isRoomScoped(_ operation: CommandName) -> Bool {
        if case .room = rules[operation] { return true }
        return false
    }

    /// "facilitators and co-facilitators", in the table's order of roles.
    private static func plural(_ roles: Set<RoomRole>) -> String {
        var names = RoomRole.allCases.filter(roles.contains).map { $0.rawValue + "s" }
        guard let last = names.popLast() else { return "the server itself" }
        return names.isEmpty ? last : names.joined(separator: ", ") + " and " + last
    }

    private static func names<T: RawRepresentable>(of values: Set<T>) -> String where T.RawValue == String {
        values.map(\.rawValue).sorted().joined(separator: " or ")
    }
}
