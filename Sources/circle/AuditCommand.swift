import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Foundation

/// `circle audit ROOM`: the room's audit entries, for its facilitators.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show a room's audit trail (facilitators): id, time (UTC), actor, action, target, detail.")
    @OptionGroup var options: ClientOptions
    @Argument(help: "The room id.") var room: String
    @Option(help: "At most this many entries, newest last (1 to 500).") var limit = 100

    func run() async throws {
        try await reportingErrors {
            let (connection, _, _) = try await options.connect()
            defer { connection.abort() }
            let audit: Reply.Audit = try await connection.request(.auditList(.init(room: RoomID(room), limit: limit)))
            let formatter = ISO8601DateFormatter()
            for entry in audit.entries {
                let time = formatter.string(from: Date(timeIntervalSince1970: Double(entry.at.milliseconds) / 1000))
                let fields = [
                    String(entry.id), time, entry.actor?.rawValue ?? "operator", entry.action, entry.target ?? "-",
                    entry.detail,
                ]
                // Each field on its own: the tabs between them are the format.
                print(fields.map(TerminalText.safe).joined(separator: "\t"))
            }
        }
    }
}
