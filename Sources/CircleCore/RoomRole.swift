/// What a member may do in one room.
public enum RoomRole: String, Sendable, Codable, CaseIterable, Hashable {
    /// The room's owner: runs sessions and moderates.
    case facilitator
    /// Runs sessions alongside the facilitator.
    case coFacilitator = "co-facilitator"
    /// A member of the group.
    case participant
    /// Reads, cannot speak (trainees, with the group's consent).
    case observer

    /// Whether this role receives events addressed to the facilitators.
    public var isFacilitating: Bool {
        self == .facilitator || self == .coFacilitator
    }

    /// What screens put before a facilitating member's name. No one may take a name that starts
    /// with it (`NameKey`), so it stays the server's word on who facilitates, in any colours.
    public static let facilitatorMark = "@"

    /// The role as a sentence names it: "a participant", "an observer".
    public var withArticle: String {
        (self == .observer ? "an " : "a ") + rawValue
    }

    /// The mark shown before this role's names: `@` for facilitating roles, else nothing.
    public var mark: String {
        isFacilitating ? Self.facilitatorMark : ""
    }

    /// Whether this role may speak in the room at all.
    public var canSpeak: Bool {
        self != .observer
    }
}
