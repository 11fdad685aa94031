/// How hard a commit works to survive failure before a request is acknowledged.
public enum Durability: String, Sendable, CaseIterable {
    /// `synchronous = FULL`: an acknowledged event survives a power cut. The default.
    case full
    /// `synchronous = NORMAL`: survives the process being killed, not a power cut; faster.
    case normal
}
