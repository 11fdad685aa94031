import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol

/// `circle session`: open and close a room's weekly session.
struct SessionGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Open and close sessions.", subcommands: [Open.self, Close.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a session; prints its event's sequence number (stderr names the session).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The room id.") var room: String

        func run() async throws {
            try await SessionGroup.change(.sessionOpen(.init(room: RoomID(room))), options: options, listedAfter: true)
            { room, session in
                "Session \(session) of \(room) is open."
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close the open session.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The room id.") var room: String

        func run() async throws {
            try await SessionGroup.change(
                .sessionClose(.init(room: RoomID(room))), options: options, listedAfter: false
            ) { room, session in
                "Session \(session) of \(room) is closed; its archive is being written."
            }
        }
    }

    /// Sends `request`, prints the event's seq for scripts, and says what happened in words.
    static func change(
        _ request: Request, options: ClientOptions, listedAfter: Bool, sentence: (String, Int) -> String
    ) async throws {
        try await reportingErrors {
            let (connection, _, _) = try await options.connect()
            defer { connection.abort() }
            guard let room = request.room else { return }
            // One listing, taken while the session in question is open: after an open, before a close.
            let before = listedAfter ? nil : await roomName(room, over: connection)
            let appended: Reply.Appended = try await connection.request(request)
            print(appended.seq)
            let listed = if let before { before } else { await roomName(room, over: connection) }
            if let session = listed.session { confirm(sentence(listed.name, session)) }
        }
    }
}
