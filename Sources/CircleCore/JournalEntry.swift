/// One private journal entry. It belongs to its author, lives apart from every room's log, and
/// is seen by a room's facilitators only if its author shares it with that room.
public struct JournalEntry: Hashable, Sendable, Codable {
    public var id: Int64
    public var author: AccountID
    public var at: Timestamp
    public var kind: JournalKind
    public var text: String
    public var tags: [String]
    /// 0-10, if the author gave one.
    public var mood: Int?
    /// The rooms whose facilitators it is shared with.
    public var sharedWith: [RoomID]

    enum CodingKeys: String, CodingKey {
        case id, author, at, kind, text, tags, mood
        case sharedWith = "shared_with"
    }

    public init(
        id: Int64, author: AccountID, at: Timestamp, kind: JournalKind, text: String, tags: [String] = [],
        mood: Int? = nil, sharedWith: [RoomID] = []
    ) {
        self.id = id
        self.author = author
        self.at = at
        self.kind = kind
        self.text = text
        self.tags = tags
        self.mood = mood
        self.sharedWith = sharedWith
    }

    /// Checks an entry's words, tags and mood before it is kept; tags are folded to lower case.
    public static func validated(text: String, tags: [String], mood: Int?) -> Result<(String, [String]), CircleError> {
        if let mood, !(0...10).contains(mood) {
            return .failure(CircleError(.badField, "Mood is 0 to 10, not \(mood)."))
        }
        guard tags.count <= 10 else { return .failure(CircleError(.badField, "At most 10 tags per entry.")) }
        var cleaned: [String] = []
        for raw in tags {
            let tag: String
            switch TextRules.line(raw, field: "tag", max: 40, code: .badField) {
            case .success(let valid): tag = valid.lowercased()
            case .failure(let error): return .failure(error)
            }
            guard !tag.contains(",") else {
                return .failure(CircleError(.badField, "A tag is 1 to 40 characters, without commas or line breaks."))
            }
            if !cleaned.contains(tag) { cleaned.append(tag) }
        }
        return TextRules.message(text).map { ($0, cleaned) }
    }
}
