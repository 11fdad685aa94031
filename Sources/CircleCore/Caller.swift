/// Who is asking: the authenticated account behind a request.
public struct Caller: Hashable, Sendable {
    public var account: AccountID
    public var kind: AccountKind

    public init(account: AccountID, kind: AccountKind) {
        self.account = account
        self.kind = kind
    }
}
