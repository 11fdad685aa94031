import ArgumentParser
import CircleArchive
import CircleCore
import CircleStore
import Foundation

/// `circled audit`: the operator's view of the hash-chained audit trail.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check and read the audit trail.", subcommands: [Verify.self, List.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check every link of the audit trail, and that no newest entries were removed: the trail must reach every head recorded outside it (the folder's anchor, each session archive, any --archive given). Name the first break and exit 1 if any."
        )
        @OptionGroup var dataOptions: DataOptions
        @Option(
            name: .customLong("archive"),
            help:
                "An archive kept elsewhere (an export, an old backup's copy) whose recorded head to hold the trail against; may repeat."
        )
        var archives: [String] = []

        func run() throws {
            let folder = try dataOptions.folder()
            let store = try Store(folder: folder)
            defer { store.close() }
            var witnesses: [AuditChain.Witness] = []
            do {
                if let head = try AuditAnchor.read(folder: folder) {
                    witnesses.append(
                        AuditChain.Witness(head: head, source: "the folder's anchor (\(AuditAnchor.fileName))"))
                } else if try store.auditHead() != nil {
                    warn("no anchor of the trail's head yet: it is written at the next audited action")
                }
            } catch {
                fail("the audit anchor is refused: \(error)")
            }
            let kept = try store.archivedFiles().map { (folder as NSString).appendingPathComponent($0) }
            for path in kept + archives {
                do {
                    if let head = try ArchiveReader.read(path: path, depth: .structure).header.audit {
                        witnesses.append(AuditChain.Witness(head: head, source: path))
                    }
                } catch {
                    warn("\(path) was not compared: \(error)")
                }
            }
            switch try store.verifyAudit(against: witnesses) {
            case .intact(let entries, let lastHash):
                print(
                    "audit trail intact: \(entries) entries, last hash \(lastHash); it reaches \(witnesses.count) recorded head\(witnesses.count == 1 ? "" : "s")"
                )
            case .broken(let entry, let reason):
                fail("audit trail broken at entry \(entry): \(reason)")
            }
        }

        private func warn(_ text: String) {
            FileHandle.standardError.write(Data("circled: \(text)\n".utf8))
        }

        private func fail(_ text: String) -> Never {
            warn(text)
            Self.exit(withError: ExitCode.failure)
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
