import CircleCore

extension Reply {
    /// The floor as a member joining sees it.
    public struct FloorView: Codable, Hashable, Sendable {
        public var mode: FloorMode
        public var seconds: Int?
        public var hands: [AccountID]
        public var holder: AccountID?
        public var until: Timestamp?

        public init(
            mode: FloorMode = .open, seconds: Int? = nil, hands: [AccountID] = [], holder: AccountID? = nil,
            until: Timestamp? = nil
        ) {
            self.mode = mode
            self.seconds = seconds
            self.hands = hands
            self.holder = holder
            self.until = until
        }

        public init(_ floor: Floor) {
            self.init(
                mode: floor.mode, seconds: floor.mode == .slow ? floor.slowSeconds : nil, hands: floor.hands,
                holder: floor.holder, until: floor.holderUntil)
        }
    }

    /// A removed message as it was said (facilitators only; the read is audited).
    public struct Original: Codable, Hashable, Sendable {
        public var event: Event

        public init(event: Event) {
            self.event = event
        }
    }

    /// A facilitator's note about a member.
    public struct Note: Codable, Hashable, Sendable {
        public var id: Int64
        public var at: Timestamp
        public var author: AccountID
        public var member: AccountID
        public var text: String

        public init(id: Int64, at: Timestamp, author: AccountID, member: AccountID, text: String) {
            self.id = id
            self.at = at
            self.author = author
            self.member = member
            self.text = text
        }
    }

    public struct Notes: Codable, Hashable, Sendable {
        public var notes: [Note]

        public init(notes: [Note]) {
            self.notes = notes
        }
    }

    /// The side room just opened; both its people are members and its session is open.
    public struct SideOpened: Codable, Hashable, Sendable {
        public var room: RoomID
        public var name: String
        public var seq: Int64

        public init(room: RoomID, name: String, seq: Int64) {
            self.room = room
            self.name = name
            self.seq = seq
        }
    }
}

extension Reply {
    /// A round as a member joining sees it.
    public struct RoundView: Codable, Hashable, Sendable {
        public var number: Int
        public var kind: Round.Kind
        public var prompt: String
        public var instrument: String?
        public var current: AccountID?
        public var endsAt: Timestamp?
        public var queue: [AccountID]
        public var done: [AccountID]

        enum CodingKeys: String, CodingKey {
            case number, kind, prompt, instrument, current, queue, done
            case endsAt = "ends_at"
        }

        public init(_ round: Round) {
            number = round.number
            kind = round.kind
            prompt = round.prompt
            instrument = round.instrument
            current = round.current
            endsAt = round.turnEndsAt
            queue = round.queue
            done = round.outcomes.map(\.0)
        }
    }

    public struct Journal: Codable, Hashable, Sendable {
        public var entries: [JournalEntry]

        public init(entries: [JournalEntry]) {
            self.entries = entries
        }
    }

    public struct JournalAdded: Codable, Hashable, Sendable {
        public var entry: Int64

        public init(entry: Int64) {
            self.entry = entry
        }
    }
}

extension Reply {
    /// An archive ready to download with `archive.read`.
    public struct ArchiveReady: Codable, Hashable, Sendable {
        public var file: String
        public var bytes: Int
        public var sha256: String

        public init(file: String, bytes: Int, sha256: String) {
            self.file = file
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    /// Bytes of an archive file, base64 in JSON.
    public struct ArchiveChunk: Codable, Hashable, Sendable {
        public var offset: Int
        public var data: String
        public var done: Bool

        public init(offset: Int, data: String, done: Bool) {
            self.offset = offset
            self.data = data
            self.done = done
        }
    }
}

extension Floor {
    /// The floor as a join reply gives it, for a client to fold later events into.
    public init(_ view: Reply.FloorView) {
        self.init()
        mode = view.mode
        slowSeconds = view.seconds ?? 0
        hands = view.hands
        holder = view.holder
        holderUntil = view.until
    }
}

extension Round {
    /// The round as a join reply gives it, for a client to fold later events into. The reply
    /// names who is done but not how each turn ended, so those outcomes read as check-ins.
    public init(_ view: Reply.RoundView) {
        self.init(
            number: view.number, kind: view.kind, prompt: view.prompt, instrument: view.instrument, turnSeconds: nil,
            queue: view.queue)
        current = view.current
        turnEndsAt = view.endsAt
        outcomes = view.done.map { ($0, .checkedIn) }
    }
}
