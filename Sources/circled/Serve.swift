import ArgumentParser
import CircleServer
import CircleStore
import Foundation
import Logging
import ServiceLifecycle

/// `circled serve`: runs the server until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default).")

    @Option(name: .long, help: "Address to listen on, HOST:PORT.")
    var listen = "127.0.0.1:7420"

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: "full (survives power loss, the default) or normal (survives a crash of the process).")
    var durability = "full"

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        guard let durability = Durability(rawValue: durability) else {
            throw ValidationError("--durability must be full or normal.")
        }
        var configuration = ServerConfiguration()
        (configuration.host, configuration.port) = try Self.parse(listen: listen)

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "circled")
        let folder = URL(fileURLWithPath: dataOptions.data).standardizedFileURL.path
        let store = try Store(folder: folder, durability: durability)
        defer { store.close() }
        let server = try await CircleServer.bind(configuration: configuration, store: store, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    static func parse(listen: String) throws -> (String, Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port), colon != listen.startIndex
        else {
            throw ValidationError("--listen must be HOST:PORT, for example 127.0.0.1:7420; got '\(listen)'.")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}
