import ArgumentParser
import CircleClient
import CircleProtocol
import Dispatch
import Foundation

/// Connection scale: N idle connections, each signed in, against a circled child process:
/// the server's memory for them and the CPU it spends while they are idle.
struct IdleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle", abstract: "N idle authenticated connections: server RSS and idle CPU.")

    @Option(help: "Connections to open.") var connections = 10_000
    @Option(help: "Seconds to watch the server while they are idle.") var watch = 10

    func run() async throws {
        let server = try ServerProcess.start()
        defer { server.stop() }
        let baseline = server.memory("VmRSS")
        let (port, token) = (server.port, server.token)
        let started = Date()
        var open: [CircleConnection] = []
        open.reserveCapacity(connections)
        // In waves, so the listener's backlog is never overrun.
        for wave in stride(from: 0, to: connections, by: 200) {
            let batch = try await withThrowingTaskGroup(of: CircleConnection.self) { group in
                for _ in wave..<min(connections, wave + 200) {
                    group.addTask {
                        try await CircleConnection.connect(host: "127.0.0.1", port: port, token: token).0
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            open += batch
        }
        let connectSeconds = Date().timeIntervalSince(started)
        let loaded = server.memory("VmRSS")
        let cpuBefore = server.cpuSeconds
        try await Task.sleep(for: .seconds(watch))
        let idleCPU = server.cpuSeconds - cpuBefore
        print("idle connections: \(open.count) signed in, in \(String(format: "%.1f", connectSeconds)) s")
        print(
            "  server RSS: \(loaded / 1024) MB (\(baseline / 1024) MB before them; "
                + String(format: "%.1f kB", Double(loaded - baseline) / Double(max(open.count, 1))) + " each)")
        print(
            String(
                format: "  idle CPU:   %.2f s over %d s = %.1f%% of one core", idleCPU, watch,
                idleCPU * 100 / Double(watch)))
        for connection in open { connection.abort() }
    }
}
