import CircleClient
import CircleCore
import CircleProtocol
import CircleServer
import CircleStore
import CircleTestSupport
import Foundation
import Logging
import ServiceLifecycle

/// A real server on 127.0.0.1 with a kernel-chosen port and its own data folder, stopped by the
/// test that started it.
final class TestServer: Sendable {
    let folder: TemporaryFolder
    let store: Store
    let server: CircleServer
    /// The server and its background services, run as circled runs them.
    let group: ServiceGroup
    let running: Task<Void, any Error>

    static func start(
        folder: TemporaryFolder? = nil, logger: Logger? = nil, clock: any Clock = SystemClock(),
        _ adjust: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        var configuration = ServerConfiguration()
        configuration.port = 0
        // Tests send faster than people type; LimitsTests turns the limiter on.
        configuration.requestsPerSecond = 0
        configuration.maxMembersPerRoom = 100
        adjust(&configuration)
        let folder = try folder ?? TemporaryFolder()
        let store = try Store(folder: folder.path, durability: .normal)
        let logger =
            logger
            ?? {
                var quiet = Logger(label: "test-circled")
                quiet.logLevel = .critical
                return quiet
            }()
        // A fixed port (a restart on the port clients know) may take a moment to come free.
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            do {
                let server = try await CircleServer.bind(
                    configuration: configuration, store: store, clock: clock, logger: logger)
                return TestServer(folder: folder, store: store, server: server)
            } catch  where configuration.port != 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private init(folder: TemporaryFolder, store: Store, server: CircleServer) {
        self.folder = folder
        self.store = store
        self.server = server
        var quiet = Logger(label: "test-services")
        quiet.logLevel = .critical
        let group = ServiceGroup(
            configuration: .init(services: [server] + server.backgroundServices, logger: quiet))
        self.group = group
        running = Task { try await group.run() }
    }

    var port: Int { server.port }

    /// Stops the server the way SIGTERM does and waits until it has.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
        store.close()
    }

    func addFacilitator(_ name: String = "Dana") throws -> String {
        try store.createAccount(name: name, kind: .facilitator, at: SystemClock().now()).1
    }

    func connect(token: String? = nil) async throws -> TestClient {
        let (connection, hello) = try await CircleConnection.connect(host: "127.0.0.1", port: port, token: token)
        return TestClient(connection: connection, hello: hello)
    }

    /// A connection that has not said hello.
    /// Waits until the archive of a closed session is written and indexed.
    func waitForArchive(room: RoomID, session: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try store.archiveEntry(room: room, session: session) == nil {
            guard ContinuousClock.now < deadline else { throw TestClient.TimedOut() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func openRaw() async throws -> TestClient {
        TestClient(connection: try await CircleConnection.open(host: "127.0.0.1", port: port), hello: nil)
    }
}
