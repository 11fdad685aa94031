/// What an account may do outside any room.
public enum AccountKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// May create rooms; created by the operator.
    case facilitator
    /// Created by redeeming an invite.
    case participant
}
