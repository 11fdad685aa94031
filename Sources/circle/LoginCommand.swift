import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Foundation

/// `circle login TOKEN`: checks a token (a facilitator's, from `circled admin`) and saves it.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Save a token for this server, after checking it works.")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The token.") var token: String

    func run() async throws {
        try await reportingErrors {
            var options = options
            options.token = token
            let (connection, hello, address) = try await options.connect()
            defer { connection.abort() }
            guard let account = hello.account else { throw ClientError.usage("The server did not accept that token.") }
            try Self.save(
                Credentials.Entry(token: token, account: account.id, name: account.name), server: address,
                caFile: options.givenCAFile)
            print(TerminalText.safe("\(account.name) (\(account.kind.rawValue)) on \(address)"))
        }
    }

    /// Saves an identity for a server and makes that server the default. For a tls:// server
    /// the CA file it was checked against is kept with it (the new one, else the one saved).
    static func save(_ entry: Credentials.Entry, server: String, caFile: String?) throws {
        let file = Credentials.file()
        var credentials = try Credentials.load(from: file)
        var entry = entry
        if server.hasPrefix("tls://") {
            entry.caFile =
                caFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
                ?? credentials.servers[server]?.caFile
        }
        credentials.servers[server] = entry
        credentials.defaultServer = server
        try credentials.save(to: file)
    }
}
