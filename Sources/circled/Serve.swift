import ArgumentParser
import CircleCore
import CircleServer
import CircleStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// `circled serve`: runs the server until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default).")

    @Option(name: .long, help: "Address to listen on, HOST:PORT (default: 127.0.0.1:7420).")
    var listen: String?

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: "The server's certificate chain, a PEM file; with --tls-key, clients must use TLS.")
    var tlsCertificate: String?

    @Option(name: .long, help: "The private key of --tls-certificate, a PEM file.")
    var tlsKey: String?

    @Option(name: .long, help: "Serve Prometheus metrics on this loopback HOST:PORT (default: off).")
    var metricsListen: String?

    @Option(name: .long, help: "Let IRC clients in on HOST:PORT, with the same TLS settings (default: off).")
    var ircListen: String?

    @Option(
        name: .long,
        help: "Days a closed session's events stay in the database once its archive verified (default: for ever).")
    var retentionDays: String?

    @Option(name: .long, help: "trace, debug, info (the default), notice, warning, error or critical.")
    var logLevel: String?

    @Option(
        name: .long, help: "full (survives power loss, the default) or normal (survives a crash of the process).")
    var durability: String?

    @Option(name: .long, help: "A file with the crisis text shown to a member whose message matches a risk phrase.")
    var crisisText: String?

    @Option(name: .long, help: "A file of risk phrases, one per line, replacing the default list.")
    var riskPhrases: String?

    @Option(name: .long, help: "A JSON file of the site's instruments (a list), added to PHQ-9 and GAD-7.")
    var instruments: String?

    @Option(name: .long, help: "Members a room may hold, facilitators included (default: 12).")
    var maxMembers: String?

    @Option(name: .long, help: "Requests per second per connection, bursts of 3 s allowed (default: 10; 0: no limit).")
    var requestsPerSecond: String?

    @Option(name: .long, help: "Connections one IP address may hold, loopback exempt (default: 64; 0: no limit).")
    var maxConnectionsPerIp: String?

    @Option(
        name: .long,
        help: "Minutes without a request before a signed-in connection is logged off (default: 20; 0: never).")
    var idleLogoffMinutes: String?

    @Option(name: .long, help: "Seconds a connection may take to sign in before it is closed (default: 10).")
    var authTimeoutSeconds: String?

    @Option(name: .long, help: "The largest frame a client may send, in bytes (default: 65536).")
    var maxFrameBytes: String?

    @Option(
        name: .long,
        help: "Bytes queued for a client that stopped reading before it is disconnected (default: 1048576).")
    var slowReaderBytes: String?

    @Option(
        name: .long,
        help: "Threads serving connections (default: one per core; the database writer has its own).")
    var eventLoops: String?

    /// The flags given, by setting name; they win over the environment and the file.
    var flags: [String: String] {
        let given: [String: String?] = [
            "listen": listen, "tls-certificate": tlsCertificate, "tls-key": tlsKey, "metrics-listen": metricsListen,
            "irc-listen": ircListen,
            "retention-days": retentionDays, "log-level": logLevel, "durability": durability,
            "crisis-text": crisisText, "risk-phrases": riskPhrases, "instruments": instruments,
            "max-members": maxMembers, "requests-per-second": requestsPerSecond,
            "max-connections-per-ip": maxConnectionsPerIp, "idle-logoff-minutes": idleLogoffMinutes,
            "auth-timeout-seconds": authTimeoutSeconds, "max-frame-bytes": maxFrameBytes,
            "slow-reader-bytes": slowReaderBytes, "event-loops": eventLoops,
        ]
        return given.compactMapValues { $0 }
    }

    func run() async throws {
        let settings = try dataOptions.settings(flags: flags)
        let level = try settings.choice(
            "log-level", default: Logger.Level.info, Logger.Level.init(rawValue:),
            choices: "trace, debug, info, notice, warning, error or critical")
        let durability = try settings.choice(
            "durability", default: Durability.full, Durability.init(rawValue:), choices: "full or normal")
        let configuration = try Self.configuration(from: settings)
        let loopCount = try Self.eventLoops(from: settings)

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "circled")
        let folder = URL(fileURLWithPath: settings.string("data", default: "circle-data")).standardizedFileURL.path
        // One server per data folder; held until this process ends.
        let claim = try ServingLock(folder: folder)
        let store = try Store(folder: folder, durability: durability)
        defer {
            store.close()
            withExtendedLifetime(claim) {}
        }
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: loopCount)
        do {
            let server = try await CircleServer.bind(
                configuration: configuration, store: store, logger: logger, group: loops)
            let group = ServiceGroup(
                configuration: .init(
                    services: [server] + server.backgroundServices, gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            try await group.run()
        } catch {
            try? await loops.shutdownGracefully()
            throw error
        }
        try await loops.shutdownGracefully()
    }

    /// How many event loops serve connections: one per core unless the operator says. On the
    /// 2-core machine one loop took 9 to 17% less CPU per delivery in the burst and up to 12% in
    /// the paced run (`CIRCLE_EVENT_LOOPS=1 circle-bench fanout`), as the group committer's
    /// thread then had a core to itself; but the paced p99 was worse in over half of thirteen
    /// paired runs, once 103 ms, with one thread reading every request and writing every
    /// delivery. Latency comes first, so one loop is the operator's choice, not the default.
    static func eventLoops(from settings: Settings) throws -> Int {
        try settings.int("event-loops", default: System.coreCount, in: 1...1024)
    }

    /// The server's configuration from the settings, every value checked; an error names the
    /// flag, variable or file line it came from.
    static func configuration(from settings: Settings) throws -> ServerConfiguration {
        // Unset settings keep ServerConfiguration's defaults, the one place they are written.
        var configuration = ServerConfiguration()
        if let listen = settings.value("listen") {
            (configuration.host, configuration.port) = try parse(address: listen)
        }
        if let (path, origin) = settings.value("crisis-text") {
            configuration.safety.crisisText = try read(path, what: origin)
        }
        if let (path, origin) = settings.value("risk-phrases") {
            let lines = try read(path, what: origin).split(whereSeparator: \.isNewline)
            configuration.safety = SafetySettings(
                crisisText: configuration.safety.crisisText,
                riskPhrases: lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") })
        }
        configuration.maxMembersPerRoom = try settings.int(
            "max-members", default: configuration.maxMembersPerRoom, in: 2...1000)
        configuration.requestsPerSecond = try settings.double(
            "requests-per-second", default: configuration.requestsPerSecond, atLeast: 0)
        configuration.requestBurst = max(1, configuration.requestsPerSecond * 3)
        configuration.maxConnectionsPerIP = try settings.int(
            "max-connections-per-ip", default: configuration.maxConnectionsPerIP, in: 0...Int.max)
        configuration.idleLogoffSeconds =
            try settings.int(
                "idle-logoff-minutes", default: configuration.idleLogoffSeconds / 60, in: 0...10_080) * 60
        configuration.authTimeoutSeconds = try settings.int(
            "auth-timeout-seconds", default: configuration.authTimeoutSeconds, in: 1...3600)
        configuration.maxFrameSize = try settings.int(
            "max-frame-bytes", default: configuration.maxFrameSize, in: 4096...16 << 20)
        configuration.outboundLimit = try settings.int(
            "slow-reader-bytes", default: configuration.outboundLimit, in: 64 * 1024...1 << 30)
        configuration.retentionDays = try settings.optionalInt("retention-days", in: 1...36_500)
        if let (path, origin) = settings.value("instruments") {
            configuration.instruments = configuration.instruments.adding(try instruments(from: path, what: origin))
        }
        configuration.tls = try tls(settings)
        if let metrics = settings.value("metrics-listen") {
            let (host, port) = try parse(address: metrics)
            guard ServerConfiguration.isLoopback(host) else {
                throw ValidationError(
                    "\(metrics.origin) must be a loopback address (127.0.0.1 or ::1): the metrics need no password.")
            }
            configuration.metrics = (host, port)
        }
        if let irc = settings.value("irc-listen") {
            configuration.irc = try parse(address: irc)
        }
        return configuration
    }

    /// The listener's TLS from a certificate chain and its key; both or neither.
    static func tls(_ settings: Settings) throws -> NIOSSLContext? {
        switch (settings.value("tls-certificate"), settings.value("tls-key")) {
        case (nil, nil):
            return nil
        case (let certificate?, let key?):
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certificate.value)
                guard !chain.isEmpty else {
                    throw ValidationError("\(certificate.origin): no certificate in the file.")
                }
                var tls = TLSConfiguration.makeServerConfiguration(
                    certificateChain: chain.map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: key.value, format: .pem)))
                tls.minimumTLSVersion = .tlsv12
                return try NIOSSLContext(configuration: tls)
            } catch let error as ValidationError {
                throw error
            } catch {
                throw ValidationError(
                    "\(certificate.origin) and \(key.origin) must be a PEM certificate chain and its private key: \(error)"
                )
            }
        case (let given?, nil), (nil, let given?):
            throw ValidationError("\(given.origin) needs its partner: give both tls-certificate and tls-key.")
        }
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
    static func instruments(from path: String, what: String) throws -> [Instrument] {
        let text = try read(path, what: what)
        let list: [Instrument]
        do {
            list = try JSONDecoder().decode([Instrument].self, from: Data(text.utf8))
        } catch {
            throw ValidationError("\(what): \(path) is not a JSON list of instruments (\(error)).")
        }
        return try list.map { instrument in
            switch instrument.validated() {
            case .success(let valid): return valid
            case .failure(let error): throw ValidationError("\(what): \(path): \(error.message)")
            }
        }
    }

    static func parse(address: (value: String, origin: String)) throws -> (String, Int) {
        let (listen, origin) = address
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port), colon != listen.startIndex
        else {
            throw ValidationError("\(origin) must be HOST:PORT, for example 127.0.0.1:7420; got '\(listen)'.")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}
