import ArgumentParser
import CircleArchive
import CircleCore
import CircleServer
import CircleStore
import Foundation

/// `circled archive`: the operator's side of archives: import, and legal holds.
struct ArchiveAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "Import archives and place rooms under legal hold.",
        subcommands: [Import.self, Hold.self, Release.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a session's or a room's archive into the data folder (stop the server first).")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The archive file.") var file: String
        @Option(help: "Read the passphrase of a sealed archive from this file.") var passphraseFile: String?

        func run() throws {
            let folder = try dataOptions.folder()
            // Importing writes a room's events behind a running server's back, which has the
            // room in memory and would never see them (or would write over them).
            guard !ServingLock.isHeld(folder: folder) else {
                throw failure(
                    "A server is serving \(folder); stop it before importing an archive (nothing was imported).")
            }
            let store = try Store(folder: folder)
            defer { store.close() }
            do {
                let start = FileHandle(forReadingAtPath: file).flatMap { try? $0.read(upToCount: 32) } ?? Data()
                let sealed = start.starts(with: Array("CIRCLE-SEALED-ARCHIVE".utf8))
                let passphrase = sealed ? try Passphrase.read(file: passphraseFile, prompt: "Passphrase: ") : nil
                let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
                let outcome = try ArchiveImporter.importArchive(
                    path: file, passphrase: passphrase, into: store, at: now)
                print(
                    "imported \(outcome.header.room): \(outcome.added) events added, \(outcome.alreadyThere) already there"
                )
            } catch let error as ArchiveError {
                throw failure("\(file): \(error)")
            } catch let error as CircleError {
                throw failure(error.message)
            }
        }
    }

    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Place a room under legal hold: retention never purges any of it.")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The room id.") var room: String
        @Option(help: "Why (kept in the audit trail).") var reason: String

        func run() throws {
            try setHold(true, room: room, reason: reason, data: try dataOptions.folder())
            print("\(room) is under legal hold")
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a room's legal hold.")
        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The room id.") var room: String
        @Option(help: "Why (kept in the audit trail).") var reason = "released by the operator"

        func run() throws {
            try setHold(false, room: room, reason: reason, data: try dataOptions.folder())
            print("\(room) is no longer under legal hold")
        }
    }
}

private func setHold(_ held: Bool, room: String, reason: String, data: String) throws {
    let store = try Store(folder: data)
    defer { store.close() }
    do {
        try store.setLegalHold(
            room: RoomID(room), held: held, reason: reason,
            at: Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)))
    } catch let error as CircleError {
        throw failure(error.message)
    }
}

private func failure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("circled: \(message)\n".utf8))
    return ExitCode.failure
}
