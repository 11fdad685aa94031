import Foundation

/// A `circled` started as a child process, so that its CPU time and memory can be read from
/// /proc apart from the benchmark's own clients.
final class ServerProcess {
    let process: Process
    let port: Int
    let data: String
    let token: String
    /// Whether the data folder is the benchmark's own, removed at stop.
    let ownsData: Bool

    /// Creates a data folder (or uses `folder`) with a facilitator, starts `circled` on a
    /// kernel-chosen port and waits until it listens.
    static func start(arguments: [String] = [], data folder: String? = nil) throws -> ServerProcess {
        let data =
            folder
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("circle-bench-\(UUID().uuidString)").path
        let circled = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("circled")
        let admin = Process()
        admin.executableURL = circled
        admin.arguments = ["admin", "add-facilitator", "Bench", "--data", data]
        let tokenPipe = Pipe()
        admin.standardOutput = tokenPipe
        admin.standardError = FileHandle.nullDevice
        try admin.run()
        let token = String(decoding: tokenPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        admin.waitUntilExit()
        guard admin.terminationStatus == 0, token.hasPrefix("ct_") else {
            throw BenchError("circled admin failed; build circled in the same configuration first.")
        }

        let process = Process()
        process.executableURL = circled
        // The limits meant for people would measure themselves, not the server.
        process.arguments =
            [
                "serve", "--listen", "127.0.0.1:0", "--data", data, "--log-level", "info", "--requests-per-second", "0",
                "--max-members", "1000", "--idle-logoff-minutes", "0",
            ] + arguments
        let log = Pipe()
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // "listening on 127.0.0.1:PORT, data in …"
        var text = ""
        let handle = log.fileHandleForReading
        while !text.contains(", data in") {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { throw BenchError("circled exited: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: "listening on 127.0.0.1:"),
            let port = Int(text[range.upperBound...].prefix { $0.isNumber })
        else { throw BenchError("circled said: \(text)") }
        // Keep draining its log so the child never blocks on a full pipe.
        Thread { while !handle.availableData.isEmpty {} }.start()
        return ServerProcess(process: process, port: port, data: data, token: token, ownsData: folder == nil)
    }

    private init(process: Process, port: Int, data: String, token: String, ownsData: Bool) {
        self.process = process
        self.port = port
        self.data = data
        self.token = token
        self.ownsData = ownsData
    }

    /// User and system CPU seconds the server has used so far.
    var cpuSeconds: Double { cpuTimes.total }

    /// The server's CPU seconds so far, in its own code and in the kernel apart.
    var cpuTimes: CPUTimes { .ofProcess(process.processIdentifier) }

    /// A field of the server's /proc status, in kB (VmRSS now, VmHWM the peak).
    func memory(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        if ownsData { try? FileManager.default.removeItem(atPath: data) }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
