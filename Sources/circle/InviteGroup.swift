import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Foundation

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
        @Option(help: "The role its holders join with: participant, observer or co-facilitator.")
        var role: RoomRole = .participant

        func run() async throws {
            try await reportingErrors {
                guard let seconds = DurationText.seconds(expires) else {
                    throw ClientError.usage("--expires must be a duration such as 90m, 12h or 7d; got '\(expires)'.")
                }
                let (connection, _, _) = try await options.connect()
                defer { connection.abort() }
                let invite: Reply.InviteCreated = try await connection.request(
                    .inviteCreate(.init(room: RoomID(room), uses: uses, expiresIn: seconds, role: role)))
                print(invite.code)
                let name = await roomName(RoomID(room), over: connection).name
                let people = invite.uses == 1 ? "1 person" : "\(invite.uses) people"
                let until =
                    invite.expiresAt.map {
                        ", valid until " + CivilDay.moment($0, utcOffset: TimeZone.current.secondsFromGMT())
                    } ?? ""
                confirm(
                    "Invite to \(name) for \(people) as \(role.rawValue)\(until). The code is shown only once; share it privately."
                )
            }
        }
    }
}

extension RoomRole: ExpressibleByArgument {}
