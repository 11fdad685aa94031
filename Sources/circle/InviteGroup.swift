import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol

/// `circle invite`: invite codes for new members.
struct InviteGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite", abstract: "Create invite codes.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an invite code for a room; prints the code.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The room id.") var room: String
        @Option(help: "How many people may use it.") var uses = 1
        @Option(help: "How long it stays valid: 90m, 12h, 7d…") var expires = "7d"

        func run() async throws {
            try await reportingErrors {
                guard let seconds = DurationText.seconds(expires) else {
                    throw ClientError.usage("--expires must be a duration such as 90m, 12h or 7d; got '\(expires)'.")
                }
                let (connection, _, _) = try await options.connect()
                defer { connection.abort() }
                let invite: Reply.InviteCreated = try await connection.request(
                    .inviteCreate(.init(room: RoomID(room), uses: uses, expiresIn: seconds)))
                print(invite.code)
            }
        }
    }
}
