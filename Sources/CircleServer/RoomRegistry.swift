import CircleCore
import CircleStore
import Synchronization

/// Every room this server holds, loaded from the log at start.
final class RoomRegistry: Sendable {
    private let rooms: Mutex<[RoomID: RoomRuntime]>
    /// When each room is to be woken next, for `RoomWakeupService`.
    let wakeups = RoomWakeups()

    init(store: any Storage, configuration: ServerConfiguration, clock: any Clock, metrics: ServerMetrics?) throws {
        var rooms: [RoomID: RoomRuntime] = [:]
        for id in try store.roomIDs() {
            rooms[id] = try RoomRuntime.load(
                id, from: store, configuration: configuration, clock: clock, wakeups: wakeups, metrics: metrics)
        }
        self.rooms = Mutex(rooms)
        // A round that was running when the server stopped picks up its clock again.
        for room in rooms.values {
            room.scheduleRoundTimer()
            // A room that replayed a long tail writes a snapshot now, not after its next events.
            room.snapshotIfDue()
        }
    }

    subscript(id: RoomID) -> RoomRuntime? {
        rooms.withLock { $0[id] }
    }

    func add(_ room: RoomRuntime) {
        rooms.withLock { $0[room.id] = room }
    }

    var all: [RoomRuntime] {
        rooms.withLock { Array($0.values) }
    }
}
