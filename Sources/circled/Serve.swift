import ArgumentParser
import CircleCore
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

    @Option(name: .long, help: "A file with the crisis text shown to a member whose message matches a risk phrase.")
    var crisisText: String?

    @Option(name: .long, help: "A file of risk phrases, one per line, replacing the default list.")
    var riskPhrases: String?

    @Option(name: .long, help: "A JSON file of the site's instruments (a list), added to PHQ-9 and GAD-7.")
    var instruments: String?

    @Option(
        name: .long,
        help: "Days a closed session's events stay in the database once its archive verified (default: for ever).")
    var retentionDays: Int?

    @Option(name: .long, help: "Members a room may hold, facilitators included.")
    var maxMembers = 12

    @Option(name: .long, help: "Requests per second per connection on average (bursts of 3 s allowed); 0: no limit.")
    var requestsPerSecond = 10.0

    @Option(name: .long, help: "Connections one IP address may hold (loopback exempt); 0: no limit.")
    var maxConnectionsPerIp = 64

    @Option(name: .long, help: "Minutes without a request before a signed-in connection is logged off; 0: never.")
    var idleLogoffMinutes = 20

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
        guard let durability = Durability(rawValue: durability) else {
            throw ValidationError("--durability must be full or normal.")
        }
        var configuration = ServerConfiguration()
        (configuration.host, configuration.port) = try Self.parse(listen: listen)
        if let crisisText {
            configuration.safety.crisisText = try Self.read(crisisText, what: "--crisis-text")
        }
        if let riskPhrases {
            let lines = try Self.read(riskPhrases, what: "--risk-phrases").split(whereSeparator: \.isNewline)
            configuration.safety = SafetySettings(
                crisisText: configuration.safety.crisisText,
                riskPhrases: lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") })
        }
        guard maxMembers >= 2, requestsPerSecond >= 0, maxConnectionsPerIp >= 0, idleLogoffMinutes >= 0 else {
            throw ValidationError("--max-members must be 2 or more; the other limits 0 or more.")
        }
        configuration.maxMembersPerRoom = maxMembers
        configuration.requestsPerSecond = requestsPerSecond
        configuration.requestBurst = max(1, requestsPerSecond * 3)
        configuration.maxConnectionsPerIP = maxConnectionsPerIp
        configuration.idleLogoffSeconds = idleLogoffMinutes * 60
        if let retentionDays {
            guard retentionDays >= 1 else { throw ValidationError("--retention-days must be 1 or more.") }
            configuration.retentionDays = retentionDays
        }
        if let instruments {
            configuration.instruments = configuration.instruments.adding(try Self.instruments(from: instruments))
        }

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

    static func read(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8),
            !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            throw ValidationError("\(what): \(path) could not be read, or is empty or not UTF-8 text.")
        }
        return text
    }

    /// The site's instruments, each checked; the error names the file and what was wrong.
    static func instruments(from path: String) throws -> [Instrument] {
        let text = try read(path, what: "--instruments")
        let list: [Instrument]
        do {
            list = try JSONDecoder().decode([Instrument].self, from: Data(text.utf8))
        } catch {
            throw ValidationError("--instruments: \(path) is not a JSON list of instruments (\(error)).")
        }
        return try list.map { instrument in
            switch instrument.validated() {
            case .success(let valid): return valid
            case .failure(let error): throw ValidationError("--instruments: \(path): \(error.message)")
            }
        }
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
