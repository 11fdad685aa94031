import ArgumentParser
import CircleCore
import CircleStore
import Foundation

/// `circled audit`: the operator's view of the hash-chained audit trail.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and read the audit trail.", subcommands: [Verify.self, List.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every link of the audit trail; name the first broken one and exit 1 if any.")
        @OptionGroup var dataOptions: DataOptions

        func run() throws {
            let store = try Store(folder: dataOptions.folder())
            defer { store.close() }
            switch try store.verifyAudit() {
            case .intact(let entries, let lastHash):
                print("audit trail intact: \(entries) entries, last hash \(lastHash)")
            case .broken(let entry, let reason):
                FileHandle.standardError.write(Data("circled: audit trail broken at entry \(entry): \(reason)\n".utf8))
                throw ExitCode.failure
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print the latest audit entries, tab-separated: id, time (UTC), actor, action, room, target, detail.")
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Only this room's entries.") var room: String?
        @Option(help: "At most this many (newest).") var limit = 100

        func run() throws {
            let store = try Store(folder: dataOptions.folder())
            defer { store.close() }
            let formatter = ISO8601DateFormatter()
            for (id, record) in try store.auditEntries(room: room.map(RoomID.init), limit: limit) {
                let time = formatter.string(from: Date(timeIntervalSince1970: Double(record.at.milliseconds) / 1000))
                print(
                    [
                        String(id), time, record.actor?.rawValue ?? "operator", record.action.rawValue,
                        record.room?.rawValue ?? "-", record.target ?? "-", record.detail,
                    ].joined(separator: "\t"))
            }
        }
    }
}
