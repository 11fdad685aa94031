import CircleCore
import Foundation
import Testing

@Suite struct InstrumentTests {
    struct Vector: Sendable, CustomStringConvertible {
        var scores: [Int]
        var weights: [Double]?
        var expected: Double
        var description: String { "\(scores) w\(weights ?? []) → \(expected)" }
    }

    static let vectors = [
        Vector(scores: [0, 0], expected: 50.00), Vector(scores: [1, 1], expected: 62.40),
        Vector(scores: [-1, -1], expected: 37.60), Vector(scores: [2, 2], expected: 74.81),
        Vector(scores: [1], expected: 60.00), Vector(scores: [1, 1, 1], expected: 63.69),
        Vector(scores: [1, -1], weights: [3, 1], expected: 55.82),
    ]

    @Test(arguments: vectors)
    func goalAttainmentMatchesThePublishedVectors(_ vector: Vector) throws {
        let t = try GoalAttainment.tScore(vector.scores, weights: vector.weights).get()
        #expect((t * 100).rounded() / 100 == vector.expected)
    }

    @Test func goalAttainmentRefusesWhatItCannotScore() {
        #expect(throws: CircleError.self) { try GoalAttainment.tScore([]).get() }
        #expect(throws: CircleError.self) { try GoalAttainment.tScore([3]).get() }
        #expect(throws: CircleError.self) { try GoalAttainment.tScore([1, 1], weights: [1]).get() }
        #expect(throws: CircleError.self) { try GoalAttainment.tScore([1], weights: [0]).get() }
    }

    @Test func phq9BandsAndTheItem9Alert() throws {
        let bands: [(Int, String)] = [
            (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
            (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (27, "severe"),
        ]
        for (total, label) in bands {
            // Spread the total over items 1-8 so item 9 stays 0.
            var answers = Array(repeating: 0, count: 9)
            var left = min(total, 24)
            for index in 0..<8 where left > 0 {
                answers[index] = min(3, left)
                left -= answers[index]
            }
            if total > 24 { answers[8] = total - 24 }
            let score = try Instrument.phq9.score(answers).get()
            #expect(score.total == Double(total))
            #expect(score.band == label, "total \(total)")
            #expect(score.pastCutoff == (total >= 10))
        }
        #expect(try Instrument.phq9.score([0, 0, 0, 0, 0, 0, 0, 0, 1]).get().alerts == [9])
        #expect(try Instrument.phq9.score([3, 3, 3, 3, 3, 3, 3, 3, 0]).get().alerts.isEmpty)
    }

    @Test func gad7CutPoints() throws {
        for (total, label) in [(0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe"), (21, "severe")] {
            var answers = Array(repeating: 0, count: 7)
            var left = total
            for index in 0..<7 where left > 0 {
                answers[index] = min(3, left)
                left -= answers[index]
            }
            #expect(try Instrument.gad7.score(answers).get().band == label)
        }
    }

    @Test func answersAreCheckedItemByItem() {
        #expect(throws: CircleError.self) { try Instrument.gad7.score([0, 0, 0]).get() }
        do {
            _ = try Instrument.gad7.score([0, 0, 4, 0, 0, 0, 0]).get()
            Issue.record("an answer of 4 was scored")
        } catch {
            #expect(error.message.contains("item 3"))
        }
    }

    @Test func aSiteInstrumentFromItsFile() throws {
        let file = """
            {"id": "ors", "name": "Outcome Rating Scale", "items": ["Individually", "Interpersonally", "Socially", "Overall"],
             "minimum": 0, "maximum": 10, "direction": "lower_is_worse", "cutoff": 25, "reliable_change": 5}
            """
        let ors = try JSONDecoder().decode(Instrument.self, from: Data(file.utf8)).validated().get()
        let score = try ors.score([6, 6, 6, 7]).get()
        #expect(score.total == 25 && score.pastCutoff)
        #expect(!(try ors.score([7, 7, 7, 7]).get().pastCutoff))
        #expect(ors.isWorse(20, than: 25))
        var broken = ors
        broken.alertItems = [5]
        #expect(throws: CircleError.self) { try broken.validated().get() }
        #expect(ors.question == nil && ors.answers.isEmpty)
    }

    @Test func theBuiltInQuestionnairesCarryTheirPublicWording() throws {
        for instrument in Instrument.builtIn {
            #expect(instrument.question?.hasPrefix("Over the last 2 weeks") == true)
            #expect(
                instrument.answers == ["Not at all", "Several days", "More than half the days", "Nearly every day"])
            #expect(try instrument.validated().get() == instrument)
        }
        #expect(Instrument.phq9.items.count == 9 && Instrument.gad7.items.count == 7)
        // A site's own wording of its answers: one per answer, or none.
        let file = """
            {"id": "mood", "name": "Mood", "question": "Today, how is your mood?", "items": ["Mood"],
             "answers": ["Low", "Middling", "Good"], "minimum": 1, "maximum": 3}
            """
        let mood = try JSONDecoder().decode(Instrument.self, from: Data(file.utf8)).validated().get()
        #expect(mood.question == "Today, how is your mood?" && mood.answers.count == 3)
        var short = mood
        short.answers = ["Low", "Good"]
        #expect {
            try short.validated().get()
        } throws: { error in
            (error as? CircleError)?.message.contains("one wording for each answer from 1 to 3") == true
        }
    }

    @Test func theProgressReplyCarriesTheOpenRoundsInstrument() throws {
        var fixture = try RoomFixture.ready(members: [RoomFixture.sam], open: true)
        let sam = RoomFixture.sam.account
        #expect(fixture.state.progress(of: sam).instrument == nil)
        try fixture.run(
            .startRound(
                kind: .checkIn, prompt: "Week?", order: .joined, listed: nil, turnSeconds: nil, instrument: "gad7"),
            by: RoomFixture.owner)
        #expect(fixture.state.progress(of: sam).instrument == .gad7)
    }
}
