import ArgumentParser
import CircleArchive
import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Foundation

/// `circle archive`: export a session's or a room's archive, and check or read an archive file.
struct ArchiveGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "Export, verify and read session archives.",
        subcommands: [Export.self, Verify.self, Show.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a session's archive, the whole room's (facilitators), or your own data (--mine).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The room id.") var room: String
        @Option(help: "One session's number; without it, every session of the room.") var session: Int?
        @Flag(help: "Everything that is yours in the room: goals, check-ins, your messages, your journal.")
        var mine = false
        @Option(name: .shortAndLong, help: "The file to write (default: a name from the room and session).")
        var out: String?
        @Flag(help: "Seal the archive with a passphrase (AES-256-GCM, key from scrypt) on this machine.")
        var encrypt = false
        @Option(help: "Read the passphrase from this file instead of asking.") var passphraseFile: String?

        func run() async throws {
            try await reportingErrors {
                let passphrase =
                    encrypt ? try Passphrase.read(file: passphraseFile, prompt: "Passphrase: ", confirm: true) : nil
                let (connection, _, _) = try await options.connect()
                defer { connection.abort() }
                let id = RoomID(room)
                let ready: Reply.ArchiveReady =
                    try await mine
                    ? connection.request(.archiveMine(.init(room: id)))
                    : connection.request(.archiveExport(.init(room: id, session: session)))
                let path =
                    out
                    ?? (ready.file.replacingOccurrences(of: ".circle.gz", with: "") + "-\(room)"
                        + (encrypt ? ".circle.sealed" : ".circle.gz"))
                try await ArchiveDownload.download(ready, room: id, over: connection, to: path, passphrase: passphrase)
                print(path)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an archive's structure, counts and checksum; name the first bad record or byte.")
        @Argument(help: "The archive file.") var file: String
        @Option(help: "Read the passphrase from this file instead of asking.") var passphraseFile: String?

        func run() async throws {
            try await reportingErrors {
                let result = try readArchive(file, passphraseFile: passphraseFile, depth: .structure)
                let header = result.header
                let room = TerminalText.safe("\(header.roomName) (\(header.room))")
                print(
                    "\(file): intact. \(header.scope.rawValue) archive of \(room)"
                        + (header.session.map { ", session \($0)" } ?? "")
                        + "; \(header.counts.events) events, \(header.counts.members) members, "
                        + "\(header.counts.goals) goals, \(header.counts.checkIns) check-ins; sha256 \(result.trailer.sha256)"
                        + (result.encrypted ? "; encrypted" : ""))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an archive as a readable transcript with its check-in table.")
        @Argument(help: "The archive file.") var file: String
        @Flag(help: "Markdown, like meeting minutes.") var markdown = false
        @Option(help: "Read the passphrase from this file instead of asking.") var passphraseFile: String?

        func run() async throws {
            try await reportingErrors {
                let passphrase = try passphraseIfSealed(file, passphraseFile: passphraseFile)
                do {
                    print(
                        try ArchiveTranscript.of(path: file, passphrase: passphrase, markdown: markdown), terminator: ""
                    )
                } catch let error as ArchiveError {
                    throw ClientError.usage("\(file): \(error)")
                }
            }
        }
    }
}

/// Reads an archive, asking for the passphrase only if it is sealed.
func readArchive(_ file: String, passphraseFile: String?, depth: ArchiveReader.Depth) throws -> ArchiveReader.Result {
    let passphrase = try passphraseIfSealed(file, passphraseFile: passphraseFile)
    do {
        return try ArchiveReader.read(path: file, passphrase: passphrase, depth: depth)
    } catch let error as ArchiveError {
        throw ClientError.usage("\(file): \(error)")
    }
}

func passphraseIfSealed(_ file: String, passphraseFile: String?) throws -> String? {
    guard let handle = FileHandle(forReadingAtPath: file) else { throw ClientError.usage("Cannot open \(file).") }
    defer { try? handle.close() }
    let start = (try? handle.read(upToCount: 32)) ?? Data()
    guard start.starts(with: Array("CIRCLE-SEALED-ARCHIVE".utf8)) else { return nil }
    return try Passphrase.read(file: passphraseFile, prompt: "Passphrase for \(file): ")
}
