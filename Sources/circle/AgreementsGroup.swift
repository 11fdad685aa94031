import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Foundation

/// `circle agreements`: read, accept and (facilitators) replace a room's agreements.
struct AgreementsGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreements", abstract: "Read, accept or replace a room's agreements.",
        subcommands: [Show.self, Accept.self, Set.self])

    /// Joins briefly to read the room's agreements and what this member accepted.
    static func current(_ room: RoomID, on connection: CircleConnection) async throws -> Reply.Joined {
        let joined: Reply.Joined = try await connection.request(.join(.init(room: room)))
        let _: Reply.Done = try await connection.request(.leave(.init(room: room)))
        return joined
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the agreements and their version.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The room id.") var room: String

        func run() async throws {
            try await reportingErrors {
                let (connection, _, _) = try await options.connect()
                defer { connection.abort() }
                let joined = try await AgreementsGroup.current(RoomID(room), on: connection)
                print(TerminalText.safeLines(joined.agreements))
                let accepted = joined.acceptedVersion >= joined.agreementsVersion ? "accepted" : "not yet accepted"
                print("(version \(joined.agreementsVersion), \(accepted))")
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept the current agreements.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The room id.") var room: String

        func run() async throws {
            try await reportingErrors {
                let (connection, _, _) = try await options.connect()
                defer { connection.abort() }
                let joined = try await AgreementsGroup.current(RoomID(room), on: connection)
                let appended: Reply.Appended = try await connection.request(
                    .agreementsAccept(.init(room: RoomID(room), version: joined.agreementsVersion)))
                print(appended.seq)
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the agreements (facilitators); members accept the new version before speaking.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The room id.") var room: String
        @Option(help: "Read the text from this file ('-' for stdin).") var file: String

        func run() async throws {
            try await reportingErrors {
                let data: Data
                do {
                    data =
                        file == "-"
                        ? FileHandle.standardInput.readDataToEndOfFile()
                        : try Data(contentsOf: URL(fileURLWithPath: file))
                } catch {
                    throw ClientError.usage("Could not read \(file): \(error.localizedDescription)")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw ClientError.usage("\(file) is not UTF-8 text.")
                }
                let (connection, _, _) = try await options.connect()
                defer { connection.abort() }
                let appended: Reply.Appended = try await connection.request(
                    .agreementsSet(.init(room: RoomID(room), text: text)))
                print(appended.seq)
            }
        }
    }
}
