import ArgumentParser
import CircleArchive
import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Foundation

/// Where to connect and as whom: flags, then CIRCLE_SERVER and CIRCLE_TOKEN, then the saved
/// credentials.
struct ClientOptions: ParsableArguments {
    static let defaultServer = "127.0.0.1:7420"

    @Option(
        name: .long,
        help:
            "The server, HOST:PORT, or tls://HOST:PORT for TLS (default: $CIRCLE_SERVER, the saved one, or 127.0.0.1:7420)."
    )
    var server: String?

    @Option(
        name: .long, help: "Trust the CAs in this PEM file for tls:// servers, not the system's (or $CIRCLE_CA_FILE).")
    var caFile: String?

    @Option(name: .long, help: "Your token (default: $CIRCLE_TOKEN, or the one saved for this server).")
    var token: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func serverAddress(_ credentials: Credentials) -> String {
        server ?? environment["CIRCLE_SERVER"].flatMap { $0.isEmpty ? nil : $0 } ?? credentials.defaultServer
            ?? Self.defaultServer
    }

    /// Connects, signing in when a token is known; `requireToken` refuses to go on without one.
    func connect(requireToken: Bool = true) async throws -> (CircleConnection, Reply.Hello, String) {
        let credentials = try Credentials.load(from: Credentials.file())
        let address = serverAddress(credentials)
        let given = token ?? environment["CIRCLE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let token = given ?? credentials.servers[address]?.token
        if requireToken && token == nil {
            throw ClientError.usage(
                "No token for \(address): join with an invite code first, or pass --token or set CIRCLE_TOKEN.")
        }
        let (host, port, tls) = try endpoint(address, credentials)
        do {
            let (connection, hello) = try await CircleConnection.connect(host: host, port: port, token: token, tls: tls)
            return (connection, hello, address)
        } catch ClientError.server(let error) where error.code == .badToken && !requireToken && given == nil {
            // A stale saved token must not stop someone from redeeming a new invite.
            let (connection, hello) = try await CircleConnection.connect(host: host, port: port, tls: tls)
            return (connection, hello, address)
        }
    }

    /// The CA file given now, by --ca-file or CIRCLE_CA_FILE.
    var givenCAFile: String? {
        caFile ?? environment["CIRCLE_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Where to connect and how: TLS for a tls:// address, checked against the CA file given
    /// now or saved with the server's token, else the system's trust store.
    func endpoint(_ address: String, _ credentials: Credentials) throws -> (host: String, port: Int, tls: ClientTLS?) {
        let (host, port, secure) = try Self.split(address)
        let caFile = givenCAFile ?? credentials.servers[address]?.caFile
        return (host, port, secure ? try ClientTLS(caFile: caFile) : nil)
    }

    /// The host, the port, and whether the address asks for TLS (`tls://`).
    static func split(_ address: String) throws -> (String, Int, Bool) {
        let secure = address.hasPrefix("tls://")
        let address = secure ? String(address.dropFirst("tls://".count)) : address
        guard let colon = address.lastIndex(of: ":"), colon != address.startIndex,
            let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port)
        else {
            throw ClientError.usage(
                "The server must be HOST:PORT or tls://HOST:PORT, for example 127.0.0.1:7420; got '\(address)'.")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port, secure)
    }
}

/// Runs a command's body; any failure becomes one plain sentence on stderr and exit status 1.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as CircleError {
        printError(error.message)
        throw ExitCode.failure
    } catch  where error is ClientError || error is UsageError || error is ArchiveError {
        // Each of these describes itself as the sentence to show.
        printError("\(error)")
        throw ExitCode.failure
    }
}

/// A one-shot command's confirmation in words, on stderr, so stdout keeps only the bare value
/// a script reads.
func confirm(_ sentence: String) {
    FileHandle.standardError.write(Data((TerminalText.safe(sentence) + "\n").utf8))
}

/// The name of `room` as the server lists it, for a confirmation; the id if it is not listed.
func roomName(_ room: RoomID, over connection: CircleConnection) async -> (name: String, session: Int?) {
    let list: Reply.Rooms? = try? await connection.request(.roomList)
    let summary = list?.rooms.first { $0.id == room }
    return (summary?.name ?? room.rawValue, summary?.session)
}

/// One line on stderr; a server's message may quote stored text, so it is escaped.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("circle: " + TerminalText.safe(message) + "\n").utf8))
}
