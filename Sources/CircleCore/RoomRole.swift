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

    /// Whether this role may speak in the room at all.
    public var canSpeak: Bool {
        self != .observer
    }
}
