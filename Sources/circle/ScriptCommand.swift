import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import Foundation

/// `circle script`: slash commands from stdin, one per line; events and results on stdout.
struct ScriptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "script",
        abstract: "Run slash commands from stdin (/join ROOM, /say TEXT, /help); exits 1 if any failed.")
    @OptionGroup var options: ClientOptions
    @Flag(help: "Print the server's frames as JSON lines instead of text.") var json = false

    func run() async throws {
        var failed = false
        try await reportingErrors {
            let (connection, hello, address) = try await options.connect(requireToken: false)
            let runner = ScriptRunner(
                connection: connection, json: json, address: address, caFile: options.givenCAFile,
                signedIn: hello.account != nil)
            let printer = Task { await runner.printPushes() }
            for await line in Self.standardInputLines() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                if !(await runner.run(trimmed)) { failed = true }
                if await runner.quitting { break }
            }
            await connection.close()
            await printer.value
        }
        if failed { throw ExitCode.failure }
    }

    /// Lines of stdin, read on a thread of their own so a blocking read never holds up the
    /// tasks that print events.
    static func standardInputLines() -> AsyncStream<String> {
        AsyncStream { continuation in
            let thread = Thread {
                while let line = readLine(strippingNewline: true) { continuation.yield(line) }
                continuation.finish()
            }
            thread.start()
        }
    }
}
