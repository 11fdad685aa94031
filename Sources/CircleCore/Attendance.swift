/// A member's attendance at one session.
public enum Attendance: String, Hashable, Sendable, Codable, CaseIterable {
    case present
    case late
    case absent
    /// Absent with the facilitator's leave.
    case excused
}
