import ArgumentParser
import CircleClient
import Foundation

/// `circle chat [ROOM]` (and `circle` alone): the full-screen chat UI.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Open the full-screen chat (the default).")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The room to open first (id or name).") var room: String?
    @Flag(help: "Do not ring the bell when your turn in a round begins or a message names you (also CIRCLE_BELL=0).")
    var noBell = false

    func run() async throws {
        var status: Int32 = 0
        try await reportingErrors {
            guard Terminal.isInteractive else {
                throw ClientError.usage("The chat needs a terminal; for scripts use 'circle script'.")
            }
            let credentials = try Credentials.load(from: Credentials.file())
            let address = options.serverAddress(credentials)
            let token =
                options.token ?? ProcessInfo.processInfo.environment["CIRCLE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
                ?? credentials.servers[address]?.token
            guard let token else {
                throw ClientError.usage(
                    "No token for \(address): join with 'circle join CODE --name NAME' first, or pass --token.")
            }
            let (host, port, tls) = try options.endpoint(address, credentials)
            let environment = ProcessInfo.processInfo.environment
            let app = ChatApp(
                host: host, port: port, tls: tls, token: token, initialRoom: room,
                colors: environment["NO_COLOR"].map { $0.isEmpty } ?? true,
                bellOnTurn: !noBell && environment["CIRCLE_BELL"] != "0")
            status = await app.run()
        }
        if status != 0 { throw ExitCode(status) }
    }
}
