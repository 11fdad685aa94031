/// Where the audit trail's hash chain ended at some moment: how many entries, and the last
/// one's hash. Kept outside the trail (a signed file in the data folder, each session
/// archive's header), it lets a check notice that the newest entries were removed, which the
/// chain by itself cannot: a shortened chain still links.
public struct AuditHead: Codable, Hashable, Sendable {
    public var entries: Int64
    public var hash: String

    public init(entries: Int64, hash: String) {
        self.entries = entries
        self.hash = hash
    }
}
