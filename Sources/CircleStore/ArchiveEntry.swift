import CircleCore

/// A session archive the server wrote into its data folder.
public struct ArchiveEntry: Hashable, Sendable {
    public var room: RoomID
    public var session: Int
    /// The file's path relative to the data folder.
    public var file: String
    public var sha256: String
    public var bytes: Int
    public var events: Int
    public var firstSeq: Int64
    public var lastSeq: Int64
    public var createdAt: Timestamp
    public var verifiedAt: Timestamp?

    public init(
        room: RoomID, session: Int, file: String, sha256: String, bytes: Int, events: Int, firstSeq: Int64,
        lastSeq: Int64, createdAt: Timestamp, verifiedAt: Timestamp?
    ) {
        self.room = room
        self.session = session
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
        self.events = events
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.createdAt = createdAt
        self.verifiedAt = verifiedAt
    }
}
