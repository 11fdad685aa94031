/// What a member brings to a check-in: progress on each active goal, the round's instrument,
/// a note, how last time's commitment went and a new one.
public struct CheckIn: Hashable, Sendable, Codable {
    /// How last time's commitment went.
    public enum Kept: String, Hashable, Sendable, Codable, CaseIterable {
        case kept
        case partly
        case not
    }

    /// One goal's rating: progress 0-10 and, optionally, its GAS score -2...+2.
    public struct Rating: Hashable, Sendable, Codable {
        public var goal: GoalID
        public var progress: Int
        public var gas: Int?

        public init(goal: GoalID, progress: Int, gas: Int? = nil) {
            self.goal = goal
            self.progress = progress
            self.gas = gas
        }
    }

    public var ratings: [Rating]
    /// The round's instrument, its answers and their total.
    public var instrument: String?
    public var answers: [Int]?
    public var score: Double?
    public var note: String?
    public var kept: Kept?
    public var commitment: String?

    public init(
        ratings: [Rating] = [], instrument: String? = nil, answers: [Int]? = nil, score: Double? = nil,
        note: String? = nil, kept: Kept? = nil, commitment: String? = nil
    ) {
        self.ratings = ratings
        self.instrument = instrument
        self.answers = answers
        self.score = score
        self.note = note
        self.kept = kept
        self.commitment = commitment
    }

    /// The mean progress over these ratings, if any.
    public var meanProgress: Double? {
        ratings.isEmpty ? nil : Double(ratings.map(\.progress).reduce(0, +)) / Double(ratings.count)
    }
}
