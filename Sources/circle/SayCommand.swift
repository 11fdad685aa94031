import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import Foundation

/// `circle say ROOM TEXT`: one message; prints its sequence number.
struct SayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "say", abstract: "Say something in a room.")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The room id.") var room: String
    @Argument(help: "What to say.") var text: String
    @Option(help: "Your id for this message; running the command again with the same id stores it once.")
    var cid: String?

    func run() async throws {
        try await reportingErrors {
            // Refused here, with the server's own sentence, before anything is sent.
            if case .failure(let error) = TextRules.message(text) { throw ClientError.server(error) }
            let (connection, _, _) = try await options.connect()
            defer { connection.abort() }
            let cid = cid ?? UUID().uuidString
            let appended: Reply.Appended = try await connection.request(
                .say(.init(room: RoomID(room), text: text, cid: cid)))
            print(appended.seq)
        }
    }
}
