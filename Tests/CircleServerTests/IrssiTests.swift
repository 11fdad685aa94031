import CircleCore
import CircleProtocol
import CircleTestSupport
import Foundation
import Testing

/// irssi itself, in tmux, against the IRC gateway: a person joins a room, reads what was said,
/// speaks, and a member on Circle's own client sees it. Skipped, with the reason, only where
/// irssi is not installed; CI installs it (`.ci/run`).
@Suite struct IrssiTests {
    static let irssi = "/usr/bin/irssi"

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: irssi),
            "irssi is not installed (apt-get install irssi); CI installs it"))
    func aPersonOnIrssiReadsAndSpeaksWithTheGroup() async throws {
        let server = try await TestServer.start { $0.irc = ("127.0.0.1", 0) }
        let scenario = try await RoomScenario.start(on: server)
        let port = try #require(server.server.ircPort)
        let dana = scenario.facilitator
        try await scenario.join(dana)
        try await scenario.say(dana, "Welcome to the group.")
        let (_, samToken) = try await scenario.member("Sam")
        let channel = "#" + scenario.room.rawValue
        let home = try TemporaryFolder()
        let tmux = Tmux()
        defer { tmux.killNow() }
        try await tmux.start(
            "irssi", width: 120, height: 30,
            command: "\(Self.irssi) --home=\(home.path) -c 127.0.0.1 -p \(port) -w \(samToken) -n sam")
        try await tmux.waitFor("irssi", "Welcome to Circle, Sam")
        try await tmux.type("irssi", "/join \(channel)")
        // The room's history, as irssi shows a channel's lines.
        try await tmux.waitFor("irssi", "Welcome to the group.")
        try await tmux.type("irssi", "Hello from irssi")
        try await dana.waitForEvent { $0.body == .message(text: "Hello from irssi", clientID: nil) }
        try await scenario.say(dana, "Glad you are here, Sam.")
        let screen = try await tmux.waitFor("irssi", "Glad you are here, Sam.")
        #expect(screen.contains("Dana"))
        try await tmux.type("irssi", "/quit")
        await dana.close()
        try await server.stop()
    }
}
