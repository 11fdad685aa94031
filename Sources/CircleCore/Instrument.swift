/// A questionnaire scored by summing (or averaging) its items' answers: PHQ-9 and GAD-7 built
/// in, others supplied by the site (Circle ships no licensed wording).
public struct Instrument: Hashable, Sendable, Codable {
    /// How the items add up.
    public enum Scoring: String, Hashable, Sendable, Codable {
        case sum
        case mean
    }

    /// Which way is worse: a high score (PHQ-9) or a low one (the ORS).
    public enum Direction: String, Hashable, Sendable, Codable {
        case higherIsWorse = "higher_is_worse"
        case lowerIsWorse = "lower_is_worse"
    }

    /// A named range of totals, from `from` up to the next band.
    public struct Band: Hashable, Sendable, Codable {
        public var from: Double
        public var label: String

        public init(from: Double, label: String) {
            self.from = from
            self.label = label
        }
    }

    public var id: String
    public var name: String
    /// What every item is asked under ("Over the last 2 weeks, how often…"), if anything.
    public var question: String?
    /// The items' wording, in order.
    public var items: [String]
    /// What each answer from `minimum` to `maximum` means ("Not at all"…), or none.
    public var answers: [String]
    /// Each answer's range.
    public var minimum: Int
    public var maximum: Int
    public var scoring: Scoring
    public var direction: Direction
    /// The clinical cutoff: a total at or past it (in the worse direction) is a concern.
    public var cutoff: Double?
    /// The smallest change that is more than measurement noise.
    public var reliableChange: Double?
    public var bands: [Band]
    /// Items (1-based) whose answer above 0 privately alerts the facilitators.
    public var alertItems: [Int]

    enum CodingKeys: String, CodingKey {
        case id, name, question, items, answers, minimum, maximum, scoring, direction, cutoff, bands
        case reliableChange = "reliable_change"
        case alertItems = "alert_items"
    }

    public init(
        id: String, name: String, question: String? = nil, items: [String], answers: [String] = [], minimum: Int,
        maximum: Int, scoring: Scoring = .sum, direction: Direction = .higherIsWorse, cutoff: Double? = nil,
        reliableChange: Double? = nil, bands: [Band] = [], alertItems: [Int] = []
    ) {
        self.id = id
        self.name = name
        self.question = question
        self.items = items
        self.answers = answers
        self.minimum = minimum
        self.maximum = maximum
        self.scoring = scoring
        self.direction = direction
        self.cutoff = cutoff
        self.reliableChange = reliableChange
        self.bands = bands
        self.alertItems = alertItems
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id), name: try container.decode(String.self, forKey: .name),
            question: try container.decodeIfPresent(String.self, forKey: .question),
            items: try container.decode([String].self, forKey: .items),
            answers: try container.decodeIfPresent([String].self, forKey: .answers) ?? [],
            minimum: try container.decode(Int.self, forKey: .minimum),
            maximum: try container.decode(Int.self, forKey: .maximum),
            scoring: try container.decodeIfPresent(Scoring.self, forKey: .scoring) ?? .sum,
            direction: try container.decodeIfPresent(Direction.self, forKey: .direction) ?? .higherIsWorse,
            cutoff: try container.decodeIfPresent(Double.self, forKey: .cutoff),
            reliableChange: try container.decodeIfPresent(Double.self, forKey: .reliableChange),
            bands: try container.decodeIfPresent([Band].self, forKey: .bands) ?? [],
            alertItems: try container.decodeIfPresent([Int].self, forKey: .alertItems) ?? [])
    }

    /// What a set of answers adds up to.
    public struct Score: Hashable, Sendable, Codable {
        public var total: Double
        public var band: String?
        /// At or past the clinical cutoff.
        public var pastCutoff: Bool
        /// Alert items (1-based) answered above 0.
        public var alerts: [Int]

        enum CodingKeys: String, CodingKey {
            case total, band, alerts
            case pastCutoff = "past_cutoff"
        }

        public init(total: Double, band: String?, pastCutoff: Bool, alerts: [Int]) {
            self.total = total
            self.band = band
            self.pastCutoff = pastCutoff
            self.alerts = alerts
        }
    }

    /// Scores a full set of answers; the error names the first answer out of range.
    public func score(_ answers: [Int]) -> Result<Score, CircleError> {
        guard answers.count == items.count else {
            return .failure(
                CircleError(.badField, "\(name) has \(items.count) items; \(answers.count) answers were given."))
        }
        if let bad = answers.firstIndex(where: { !(minimum...maximum).contains($0) }) {
            return .failure(
                CircleError(
                    .badField, "\(name) item \(bad + 1) is answered \(minimum) to \(maximum), not \(answers[bad])."))
        }
        let sum = Double(answers.reduce(0, +))
        let total = scoring == .sum ? sum : sum / Double(answers.count)
        return .success(
            Score(
                total: total, band: bands.last { total >= $0.from }?.label,
                pastCutoff: cutoff.map { isWorse(total, than: $0, orEqual: true) } ?? false,
                alerts: alertItems.filter { (1...answers.count).contains($0) && answers[$0 - 1] > 0 }))
    }

    /// Whether `value` is worse than `reference` in this instrument's direction.
    public func isWorse(_ value: Double, than reference: Double, orEqual: Bool = false) -> Bool {
        if orEqual && value == reference { return true }
        return direction == .higherIsWorse ? value > reference : value < reference
    }

    /// Checks a site's definition before the server runs with it.
    public func validated() -> Result<Instrument, CircleError> {
        func bad(_ why: String) -> Result<Instrument, CircleError> {
            .failure(CircleError(.badField, "Instrument '\(id)': \(why)"))
        }
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            return bad("the id must be letters, digits, - or _.")
        }
        guard !items.isEmpty else { return bad("it needs at least one item.") }
        guard minimum < maximum else { return bad("minimum must be below maximum.") }
        guard answers.isEmpty || answers.count == maximum - minimum + 1 else {
            return bad("answers must give one wording for each answer from \(minimum) to \(maximum).")
        }
        guard alertItems.allSatisfy({ (1...items.count).contains($0) }) else {
            return bad("alert_items must name items 1 to \(items.count).")
        }
        if let reliableChange, reliableChange <= 0 { return bad("reliable_change must be above 0.") }
        return .success(self)
    }
}

extension Instrument {
    /// What the PHQ-9 and the GAD-7 ask every item under, and their 0–3 scale, as printed.
    static let twoWeeks = "Over the last 2 weeks, how often have you been bothered by the following problem?"
    static let howOften = ["Not at all", "Several days", "More than half the days", "Nearly every day"]

    /// The PHQ-9 (Kroenke, Spitzer and Williams; free to use). Item 9 asks about thoughts of
    /// self-harm: any answer above 0 alerts the facilitators.
    public static let phq9 = Instrument(
        id: "phq9", name: "PHQ-9", question: twoWeeks,
        items: [
            "Little interest or pleasure in doing things",
            "Feeling down, depressed, or hopeless",
            "Trouble falling or staying asleep, or sleeping too much",
            "Feeling tired or having little energy",
            "Poor appetite or overeating",
            "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "Moving or speaking so slowly that other people could have noticed, or the opposite, being so fidgety or restless that you have been moving around a lot more than usual",
            "Thoughts that you would be better off dead, or of hurting yourself in some way",
        ],
        answers: howOften, minimum: 0, maximum: 3, cutoff: 10, reliableChange: 6,
        bands: [
            Band(from: 0, label: "minimal"), Band(from: 5, label: "mild"), Band(from: 10, label: "moderate"),
            Band(from: 15, label: "moderately severe"), Band(from: 20, label: "severe"),
        ],
        alertItems: [9])

    /// The GAD-7 (Spitzer and colleagues; free to use).
    public static let gad7 = Instrument(
        id: "gad7", name: "GAD-7", question: twoWeeks,
        items: [
            "Feeling nervous, anxious, or on edge",
            "Not being able to stop or control worrying",
            "Worrying too much about different things",
            "Trouble relaxing",
            "Being so restless that it is hard to sit still",
            "Becoming easily annoyed or irritable",
            "Feeling afraid, as if something awful might happen",
        ],
        answers: howOften, minimum: 0, maximum: 3, cutoff: 10, reliableChange: 4,
        bands: [
            Band(from: 0, label: "minimal"), Band(from: 5, label: "mild"), Band(from: 10, label: "moderate"),
            Band(from: 15, label: "severe"),
        ])

    public static let builtIn = [phq9, gad7]
}
