import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol

/// `circle session`: open and close a room's weekly session.
struct SessionGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Open and close sessions.", subcommands: [Open.self, Close.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a session; prints its number.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The room id.") var room: String

        func run() async throws {
            try await SessionGroup.change(.sessionOpen(.init(room: RoomID(room))), options: options)
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close the open session.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The room id.") var room: String

        func run() async throws {
            try await SessionGroup.change(.sessionClose(.init(room: RoomID(room))), options: options)
        }
    }

    static func change(_ request: Request, options: ClientOptions) async throws {
        try await reportingErrors {
            let (connection, _, _) = try await options.connect()
            defer { connection.abort() }
            let appended: Reply.Appended = try await connection.request(request)
            print(appended.seq)
        }
    }
}
