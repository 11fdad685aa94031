/// Who may speak in the room's open conversation. Facilitators may always speak.
public enum FloorMode: String, Sendable, Codable, CaseIterable, Hashable {
    /// Anyone may speak.
    case open
    /// Members raise a hand; a facilitator gives one of them the floor, optionally for a time.
    case hands
    /// Only the holder of the talking piece speaks; it passes on the holder's or a facilitator's word.
    case piece
    /// Anyone may speak, once every so many seconds.
    case slow
}
