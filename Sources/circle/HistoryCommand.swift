import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Foundation

/// `circle history ROOM`: earlier events, oldest first, one per line.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show a room's events: the latest, or those after --since.")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The room id.") var room: String
    @Option(help: "Show events after this sequence number.") var since: Int64?
    @Option(help: "At most this many events (1 to 500).") var limit = 50
    @Flag(help: "One JSON object per event, as the server sends them.") var json = false

    func run() async throws {
        try await reportingErrors {
            let (connection, _, _) = try await options.connect()
            defer { connection.abort() }
            let page: Reply.History = try await connection.request(
                .history(.init(room: RoomID(room), after: since, limit: limit)))
            let text = EventText(members: page.members)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for item in page.items {
                switch (item, json) {
                case (.event(let event), true): print(String(decoding: try encoder.encode(event), as: UTF8.self))
                case (.event(let event), false): print(text.line(event, showRoom: false))
                case (.purged(let span), true):
                    print(String(decoding: try encoder.encode(ScriptRunner.PurgedFrame(purged: span)), as: UTF8.self))
                case (.purged(let span), false): print(ScriptRunner.line(span))
                }
            }
        }
    }
}
