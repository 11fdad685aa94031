import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private tmux server (its own socket), for driving the real client as a person would and
/// reading the screen back.
struct Tmux {
    let socket = "circle-test-\(UUID().uuidString.prefix(8))"

    /// Runs one tmux command. Not through Foundation's Process: the tmux server that the first
    /// command leaves behind inherits the descriptor Process watches for the child's exit, so
    /// Process would wait for the server too. posix_spawn and waitpid wait for the client only.
    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let argv = ["/usr/bin/tmux", "-L", socket] + arguments
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread {
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
                // Not every descriptor of the test process is close-on-exec (listening sockets
                // among them); a tmux server holding one would keep a stopped server's port.
                Self.closeFrom(3, in: &actions)
                // The test runner's threads block some signals; tmux and the client it starts
                // must not inherit that mask (the client waits for SIGWINCH).
                var attributes = posix_spawnattr_t()
                posix_spawnattr_init(&attributes)
                var empty = sigset_t()
                sigemptyset(&empty)
                posix_spawnattr_setsigmask(&attributes, &empty)
                posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
                var pid: pid_t = 0
                let cArguments = argv.map { strdup($0) } + [nil]
                defer { for argument in cArguments { free(argument) } }
                let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
                posix_spawn_file_actions_destroy(&actions)
                posix_spawnattr_destroy(&attributes)
                guard spawned == 0 else { return continuation.resume(returning: -1) }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                continuation.resume(returning: (status >> 8) & 0xFF)
            }.start()
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw Failure(arguments: arguments, stderr: "exit status \(status)") }
        return text
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later), which Swift's Glibc
    /// module does not export; found at run time.
    static func closeFrom(_ descriptor: Int32, in actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, descriptor)
    }

    /// Opens a session with a shell and types `command` into it, as a person would. (Passing
    /// the command to new-session directly sometimes left the first pane without a terminal:
    /// its reads failed with EIO.)
    func start(_ session: String, width: Int = 80, height: Int = 24, command: String) async throws {
        try await run([
            "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "/bin/sh",
        ])
        try await run(["set-option", "-t", session, "remain-on-exit", "on"])
        try await type(session, "exec /bin/sh -c '\(command.replacingOccurrences(of: "'", with: "'\\''"))'")
    }

    func type(_ session: String, _ text: String, enter: Bool = true) async throws {
        try await run(["send-keys", "-t", session, "-l", text])
        if enter { try await run(["send-keys", "-t", session, "Enter"]) }
    }

    func keys(_ session: String, _ keys: String...) async throws {
        try await run(["send-keys", "-t", session] + keys)
    }

    func screen(_ session: String) async throws -> String {
        try await run(["capture-pane", "-p", "-t", session])
    }

    /// Waits (boundedly) until the screen shows what `condition` wants; returns that screen.
    @discardableResult
    func waitFor(_ session: String, seconds: Double = 20, _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await screen(session)
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure(arguments: ["waitFor", session], stderr: "screen was:\n" + last)
    }

    @discardableResult
    func waitFor(_ session: String, _ text: String) async throws -> String {
        try await waitFor(session) { $0.contains(text) }
    }

    /// Ends the tmux server and everything in it; usable from `defer`.
    func killNow() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        process.arguments = ["-L", socket, "kill-server"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
    }

    struct Failure: Error, CustomStringConvertible {
        var arguments: [String]
        var stderr: String
        var description: String { "tmux \(arguments.joined(separator: " ")): \(stderr)" }
    }
}
