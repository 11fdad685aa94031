/// Goal Attainment Scaling: each goal scored -2...+2 against levels fixed when it was set,
/// combined into a T-score around 50 (Kiresuk and Sherman).
public enum GoalAttainment {
    /// The assumed correlation between goals' scores, by convention.
    public static let rho = 0.3
    public static let scores = -2...2

    /// T = 50 + 10·Σwᵢxᵢ / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²); unweighted when `weights` is nil.
    public static func tScore(_ scores: [Int], weights: [Double]? = nil) -> Result<Double, CircleError> {
        guard !scores.isEmpty else { return .failure(CircleError(.badField, "GAS needs at least one goal's score.")) }
        guard scores.allSatisfy(Self.scores.contains) else {
            return .failure(CircleError(.badField, "A GAS score is -2, -1, 0, +1 or +2."))
        }
        let weights = weights ?? Array(repeating: 1, count: scores.count)
        guard weights.count == scores.count, weights.allSatisfy({ $0 > 0 }) else {
            return .failure(CircleError(.badField, "GAS weights must be positive, one per goal."))
        }
        let weighted = zip(weights, scores).reduce(0) { $0 + $1.0 * Double($1.1) }
        let sumOfSquares = weights.reduce(0) { $0 + $1 * $1 }
        let sum = weights.reduce(0, +)
        let denominator = ((1 - rho) * sumOfSquares + rho * sum * sum).squareRoot()
        return .success(50 + 10 * weighted / denominator)
    }
}
