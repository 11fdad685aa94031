import CircleCore

/// Events of a room that retention removed from the live log, and the archive that keeps
/// them: what a history read or a resume says when it reaches them, instead of a silent jump
/// in `seq`.
public struct PurgedSpan: Codable, Hashable, Sendable {
    public var room: RoomID
    public var session: Int
    public var first: Int64
    public var last: Int64
    /// The archive's path inside the server's data folder.
    public var archive: String

    public init(room: RoomID, session: Int, first: Int64, last: Int64, archive: String) {
        self.room = room
        self.session = session
        self.first = first
        self.last = last
        self.archive = archive
    }

    /// Whether any of it lies in `range` of sequence numbers.
    public func overlaps(_ range: ClosedRange<Int64>) -> Bool {
        first <= range.upperBound && last >= range.lowerBound
    }

    /// The sentence a reader is shown in its place.
    public var sentence: String {
        "Session \(session) (events \(first)–\(last)) is no longer on the server: retention moved it to its archive, \(archive); a facilitator can export the room to read it."
    }
}

extension Reply.History {
    /// One line of a page: an event, or a purged span in the place of its events.
    public enum Item: Hashable, Sendable {
        case event(Event)
        case purged(PurgedSpan)
    }

    /// The page in sequence order, each purged span before the first event after it.
    public var items: [Item] {
        var spans = (purged ?? [])[...]
        var items: [Item] = []
        for event in events {
            while let span = spans.first, span.first < event.seq {
                items.append(.purged(span))
                spans.removeFirst()
            }
            items.append(.event(event))
        }
        return items + spans.map(Item.purged)
    }
}
