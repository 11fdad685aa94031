import CircleCore
import CircleStore
import CircleTestSupport

/// Opens a stopped server's data folder to check what it holds.
struct CircleStoreReader {
    let store: Store

    init(folder: TemporaryFolder) throws {
        store = try Store(folder: folder.path)
    }

    func seqs(room: RoomID) throws -> [Int64] {
        defer { store.close() }
        return try store.events(room: room, after: 0, through: nil, viewer: nil, limit: 1_000_000).map(\.seq)
    }
}
