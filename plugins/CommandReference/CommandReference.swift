import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory command-reference` rewrites the
/// permission reference of docs/PROTOCOL.md from the command table; `swift package
/// command-reference --check` fails when the committed text is stale (CI runs it).
@main
struct CommandReference: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "circle-docgen")
        let document = context.package.directoryURL.appending(path: "docs/PROTOCOL.md")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = [document.path()] + arguments.filter { $0 == "--check" }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandReferenceError(status: process.terminationStatus)
        }
    }
}

struct CommandReferenceError: Error, CustomStringConvertible {
    var status: Int32
    var description: String { "circle-docgen exited with status \(status)" }
}
