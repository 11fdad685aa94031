import CircleCore
import CircleStore
import Logging
import Synchronization

/// What every connection shares: the store, the rooms, the settings and the clock.
final class ServerContext: Sendable {
    let store: Store
    let rooms: RoomRegistry
    let configuration: ServerConfiguration
    let clock: any Clock
    let logger: Logger
    private let connections = Mutex<[ObjectIdentifier: Connection]>([:])

    init(store: Store, configuration: ServerConfiguration, clock: any Clock, logger: Logger) throws {
        self.store = store
        self.rooms = try RoomRegistry(store: store, configuration: configuration, clock: clock)
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    func register(_ connection: Connection) {
        connections.withLock { $0[ObjectIdentifier(connection)] = connection }
    }

    func unregister(_ connection: Connection) {
        connections.withLock { $0[ObjectIdentifier(connection)] = nil }
    }

    var openConnections: [Connection] {
        connections.withLock { Array($0.values) }
    }
}
