/// What the log says of one member over the sessions: check-ins, commitments and attendance.
public struct MemberRecord: Hashable, Sendable, Codable {
    /// A check-in with the session it belongs to.
    public struct Entry: Hashable, Sendable, Codable {
        public var session: Int
        public var at: Timestamp
        public var checkIn: CheckIn

        public init(session: Int, at: Timestamp, checkIn: CheckIn) {
            self.session = session
            self.at = at
            self.checkIn = checkIn
        }
    }

    public var checkIns: [Entry] = []
    public var attendance: [Int: Attendance] = [:]

    public init() {}

    /// The latest commitment made, and in which session.
    public var lastCommitment: (session: Int, text: String)? {
        for entry in checkIns.reversed() {
            if let commitment = entry.checkIn.commitment { return (entry.session, commitment) }
        }
        return nil
    }

    /// The latest check-in from a session before `session`.
    public func lastCheckIn(before session: Int) -> Entry? {
        checkIns.last { $0.session < session && $0.checkIn.meanProgress != nil }
    }
}
