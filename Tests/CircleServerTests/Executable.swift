import Foundation

/// One of the package's own executables, run as a separate process the way a person would.
struct Executable {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let url: URL

    init(_ name: String) throws {
        // Test bundles and executables are built into the same folder.
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            folder.appendingPathComponent(name),
            folder.deletingLastPathComponent().appendingPathComponent(name),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw NotBuilt(name: name, searched: candidates.map(\.path))
        }
        url = found
    }

    /// Reads on a thread of its own: a blocking read on the cooperative pool would starve the
    /// in-process server the child is talking to.
    static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: handle.readDataToEndOfFile()) }.start()
        }
    }

    struct NotBuilt: Error {
        var name: String
        var searched: [String]
    }

    /// Runs to completion with `input` on stdin.
    func run(_ arguments: [String], environment: [String: String] = [:], input: String = "") async throws -> Output {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment
            .filter { !$0.key.hasPrefix("CIRCLE_") }
            .merging(environment) { $1 }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let finished = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished.continuation.yield($0.terminationStatus) }
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        try stdout.fileHandleForWriting.close()
        try stderr.fileHandleForWriting.close()
        async let out = Self.readToEnd(stdout.fileHandleForReading)
        async let err = Self.readToEnd(stderr.fileHandleForReading)
        let (outData, errData) = await (out, err)
        var status: Int32 = -1
        for await value in finished.stream {
            status = value
            break
        }
        return Output(
            status: status, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
