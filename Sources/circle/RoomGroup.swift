import ArgumentParser
import CircleClient
import CircleProtocol
import CircleUI

/// `circle room`: create and list rooms.
struct RoomGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "room", abstract: "Create and list rooms.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a room; prints its id.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The room's name.") var name: String

        func run() async throws {
            try await reportingErrors {
                let (connection, _, _) = try await options.connect()
                defer { connection.abort() }
                let created: Reply.RoomCreated = try await connection.request(.roomCreate(.init(name: name)))
                print(created.room)
                confirm("Room \"\(name)\" is created; invite members with: circle invite create \(created.room)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List your rooms: id, your role, session, members, name (tab-separated).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await reportingErrors {
                let (connection, _, _) = try await options.connect()
                defer { connection.abort() }
                let list: Reply.Rooms = try await connection.request(.roomList)
                for room in list.rooms {
                    let session = room.session.map { "session \($0) open" } ?? "closed"
                    // Each field on its own: the tabs between them are the format.
                    let fields = [room.id.rawValue, room.role.rawValue, session, "\(room.members)", room.name]
                    print(fields.map(TerminalText.safe).joined(separator: "\t"))
                }
            }
        }
    }
}
