import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol

/// `circle join CODE --name NAME`: redeems an invite and saves the token it returns.
struct JoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Join a room with an invite code; prints the room id and saves your token.")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The invite code.") var code: String
    @Option(help: "The name the group will know you by (a pseudonym is fine).") var name: String
    @Flag(help: "Also print the token (on a second line).") var printToken = false

    func run() async throws {
        try await reportingErrors {
            let (connection, _, address) = try await options.connect(requireToken: false)
            defer { connection.abort() }
            let redeemed: Reply.Redeemed = try await connection.request(.redeem(.init(code: code, name: name)))
            if let token = redeemed.token {
                try LoginCommand.save(
                    Credentials.Entry(token: token, account: redeemed.account.id, name: redeemed.account.name),
                    server: address, caFile: options.givenCAFile)
            }
            print(redeemed.room)
            if printToken, let token = redeemed.token ?? options.token { print(token) }
        }
    }
}
