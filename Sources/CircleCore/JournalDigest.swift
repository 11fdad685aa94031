/// A month of one member's journal in brief: how many episodes, and what most often set things
/// off and what helped.
public struct JournalDigest: Hashable, Sendable, Codable {
    /// A tag (or, without tags, the entry's words) and how often it came up.
    public struct Count: Hashable, Sendable, Codable {
        public var text: String
        public var count: Int
    }

    public var month: String
    public var entries: Int
    public var episodes: Int
    public var wins: Int
    public var topTriggers: [Count]
    public var whatHelped: [Count]
    /// The mean mood over entries that gave one.
    public var meanMood: Double?

    enum CodingKeys: String, CodingKey {
        case month, entries, episodes, wins
        case topTriggers = "top_triggers"
        case whatHelped = "what_helped"
        case meanMood = "mean_mood"
    }

    /// The digest of `entries` (already those of `month`), keeping the top `top` of each list.
    public static func of(_ entries: [JournalEntry], month: String, top: Int = 3) -> JournalDigest {
        func ranked(_ kind: JournalKind) -> [Count] {
            var counts: [String: Int] = [:]
            for entry in entries where entry.kind == kind {
                let keys = entry.tags.isEmpty ? [entry.text.lowercased()] : entry.tags
                for key in keys { counts[key, default: 0] += 1 }
            }
            return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(top).map {
                Count(text: $0.key, count: $0.value)
            }
        }
        let moods = entries.compactMap(\.mood)
        return JournalDigest(
            month: month, entries: entries.count, episodes: entries.filter { $0.kind == .episode }.count,
            wins: entries.filter { $0.kind == .win }.count, topTriggers: ranked(.trigger), whatHelped: ranked(.helped),
            meanMood: moods.isEmpty ? nil : Double(moods.reduce(0, +)) / Double(moods.count))
    }
}
