import CircleArchive
import CircleCore
import CircleStore
import Foundation

/// A room's whole log: the live database, and for sessions retention purged, their archives
/// in the data folder. Replay at start and whole-room exports read through it.
struct RoomLog {
    let store: any Storage

    /// Every event after `start` through `through`, in order, as stored JSON.
    func forEach(
        room: RoomID, after start: Int64 = 0, through: Int64 = Int64.max, _ body: (Int64, [UInt8]) throws -> Void
    ) throws {
        let purges = try store.purges(room: room)
        var after = start
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for purge in purges where purge.first <= through && purge.last > after {
            if purge.first - 1 > after {
                try store.forEachStoredEvent(room: room, after: after, through: min(purge.first - 1, through)) {
                    try body($0.seq, Array($0.json))
                }
            }
            try ArchiveReader.read(path: store.folder + "/" + purge.file) { record in
                guard case .event(let event) = record, event.seq > after, event.seq <= through else { return }
                try body(event.seq, Array(try encoder.encode(event)))
            }
            after = purge.last
        }
        try store.forEachStoredEvent(room: room, after: after, through: through) {
            try body($0.seq, Array($0.json))
        }
    }

    /// Every event through `through`, decoded.
    func forEachEvent(
        room: RoomID, after: Int64 = 0, through: Int64 = Int64.max, _ body: (Event) throws -> Void
    ) throws {
        let decoder = JSONDecoder()
        try forEach(room: room, after: after, through: through) { _, json in
            try body(decoder.decode(Event.self, from: Data(json)))
        }
    }
}
