import ArgumentParser
import CircleCore
import CircleStore
import Foundation

/// `circled backup OUT`: a consistent copy taken while the server runs.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database (SQLite's online backup) and the archives into an empty folder.")

    @OptionGroup var dataOptions: DataOptions
    @Argument(help: "The folder to write (must not hold a database yet).") var out: String

    func run() throws {
        let store = try Store(folder: dataOptions.folder())
        defer { store.close() }
        do {
            try store.backup(to: out)
            print("backed up to \(out): \(try Store.checkBackup(out))")
        } catch let error as CircleError {
            FileHandle.standardError.write(Data("circled: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// `circled restore FROM --data DIR`: checks a backup, then puts it in place.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a backup (integrity, schema, audit trail) and restore it into an empty data folder.")

    @OptionGroup var dataOptions: DataOptions
    @Argument(help: "The backup folder (from 'circled backup').") var from: String

    func run() throws {
        do {
            let summary = try Store.checkBackup(from)
            let target = try dataOptions.folder()
            guard !FileManager.default.fileExists(atPath: target + "/" + Store.fileName) else {
                throw CircleError(.badField, "\(target) already holds a database; restore into an empty folder.")
            }
            try FileManager.default.createDirectory(
                atPath: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.copyItem(atPath: from + "/" + Store.fileName, toPath: target + "/" + Store.fileName)
            for name in ["archives", AuditAnchor.keyFileName, AuditAnchor.fileName]
            where FileManager.default.fileExists(atPath: from + "/" + name) {
                try FileManager.default.copyItem(atPath: from + "/" + name, toPath: target + "/" + name)
            }
            print("restored into \(target): \(summary)")
        } catch let error as CircleError {
            FileHandle.standardError.write(Data("circled: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}
