/// Who may run what. Every request is checked here before it runs, against the rule its
/// `CommandName.spec` names; a rule that lists no role refuses everyone (deny by default).
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

    /// The table, keyed by name: `CommandName.spec` written out, for readers of the whole.
    public static var rules: [CommandName: Rule] {
        Dictionary(uniqueKeysWithValues: CommandName.allCases.map { ($0, $0.spec.rule) })
    }

    /// Whether `operation` may run for a caller with this account kind (nil before
    /// authentication) and this role in the room the request names (nil when not a member or
    /// when the request names no room).
    public static func authorize(
        _ operation: CommandName, account: AccountKind?, roomRole: RoomRole?
    ) -> Result<Void, CircleError> {
        switch operation.spec.rule {
        case .anyone:
            return .success(())
        case .account(let kinds):
            guard let account else {
                return .failure(signInFirst(operation))
            }
            guard kinds.contains(account) else {
                return .failure(
                    CircleError(.forbidden, "Only \(names(of: kinds)) accounts can \(operation.action)."))
            }
            return .success(())
        case .room(let roles):
            guard account != nil else {
                return .failure(signInFirst(operation))
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

    /// The refusal of `operation` to a connection that has not signed in.
    public static func signInFirst(_ operation: CommandName) -> CircleError {
        CircleError(.notAuthenticated, "Sign in first to \(operation.action).")
    }

    /// Whether the operation names a room and is checked against the caller's role there.
    public static func isRoomScoped(_ operation: CommandName) -> Bool {
        if case .room = operation.spec.rule { return true }
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
