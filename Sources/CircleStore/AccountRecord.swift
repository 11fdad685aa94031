import CircleCore

/// An account as stored: a person known to this server.
public struct AccountRecord: Hashable, Sendable {
    public var id: AccountID
    public var name: String
    public var kind: AccountKind
    public var createdAt: Timestamp

    public init(id: AccountID, name: String, kind: AccountKind, createdAt: Timestamp) {
        self.id = id
        self.name = name
        self.kind = kind
        self.createdAt = createdAt
    }
}
