/// The group's agreements: the default every room starts with, and the rules for new text.
public enum Agreements {
    /// Long enough for a page of agreements; short enough to read before a session.
    public static let maxLength = 8000

    /// Written from what groups commonly agree (DOMAIN.md), and plain about the one thing people
    /// most often assume wrongly: other members are not bound the way a clinician is.
    public static let defaultText = """
        Our agreements
        1. What is said here stays here. We do not share what others say, or who is in this group.
        2. Other members are not legally bound to keep what you say confidential, the way a \
        clinician is. Share what you are comfortable with.
        3. Join from somewhere private, and do not record, copy or screenshot the conversation.
        4. Do not share the invite or bring anyone else in.
        5. Come to sessions, or tell the facilitator if you cannot.
        6. Speak for yourself, listen to others, and pass whenever you like.
        This is not a crisis service. If you are in danger, contact your local emergency number.
        """

    public static func validated(_ text: String) -> Result<String, CircleError> {
        TextRules.lines(text, field: "agreements", max: maxLength)
    }
}

extension Agreements {
    /// Whether a member must accept the agreements before speaking: the server's rule, and the
    /// client's reminder. Facilitators write them, and a side room is covered by its group's.
    public static func mustAccept(role: RoomRole?, accepted: Int, current: Int, sideRoom: Bool) -> Bool {
        guard let role, !role.isFacilitating, current > 0, !sideRoom else { return false }
        return accepted < current
    }
}
