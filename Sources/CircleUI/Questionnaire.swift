import CircleCore

/// A round's questionnaire, answered one item at a time in the chat: each item in the
/// instrument's own wording with its scale, then the answers go with the member's check-in.
public struct Questionnaire: Hashable, Sendable {
    public let room: RoomID
    /// The round it belongs to: a later round's check-in never takes these answers.
    public let round: Int
    public let instrument: Instrument
    public private(set) var answers: [Int] = []

    public init(room: RoomID, round: Int, instrument: Instrument) {
        self.room = room
        self.round = round
        self.instrument = instrument
    }

    public var isComplete: Bool { answers.count == instrument.items.count }

    /// `0 Not at all · 1 Several days · …`, or the bare range when the answers have no wording.
    public var scale: String {
        let range = instrument.minimum...instrument.maximum
        guard instrument.answers.count == range.count else { return "\(instrument.minimum) to \(instrument.maximum)" }
        return zip(range, instrument.answers).map { "\($0) \($1)" }.joined(separator: " · ")
    }

    /// What is shown when the questionnaire starts: the question, then the scale.
    public var introduction: [String] {
        let question = instrument.question.map { " " + $0 } ?? ""
        return [
            "\(instrument.name), \(instrument.items.count) items.\(question)",
            "Answer each with a number: \(scale). Only your facilitators see your answers.",
        ]
    }

    /// The item waiting for an answer, numbered.
    public var currentItem: String? {
        guard !isComplete else { return nil }
        let number = "\(answers.count + 1) of \(instrument.items.count)"
        return "\(instrument.name) \(number): \(instrument.items[answers.count])"
    }

    /// Takes a typed answer; the error names the range and what each number means.
    public mutating func answer(_ text: String) -> Result<Void, CircleError> {
        guard !isComplete else { return .failure(CircleError(.badField, "Every item is answered.")) }
        guard let value = Int(text.trimmingWhitespace()), (instrument.minimum...instrument.maximum).contains(value)
        else {
            return .failure(
                CircleError(
                    .badField, "Answer \(instrument.name) \(answers.count + 1) with a number: \(scale)."))
        }
        answers.append(value)
        return .success(())
    }

    /// Whether a typed line is meant as an answer (a number alone) rather than something to say.
    public static func looksLikeAnAnswer(_ line: String) -> Bool {
        let trimmed = line.trimmingWhitespace()
        return !trimmed.isEmpty && trimmed.allSatisfy { $0.isNumber || $0 == "-" }
    }
}
