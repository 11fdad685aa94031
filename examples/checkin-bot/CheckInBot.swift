import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import Foundation

/// A small member built on the client library: it redeems an invite, accepts the agreements,
/// sets a goal, and when its turn in a round comes it checks in and says a word. For demos and
/// load tests; it never sends anything a person did not script.
@main
struct CheckInBot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin-bot", abstract: "A scripted member that checks in when its turn comes.")

    @Option(help: "The server, HOST:PORT.") var server = "127.0.0.1:7420"
    @Option(help: "An invite code to redeem.") var code: String
    @Option(help: "The name to join under.") var name: String
    @Option(help: "The goal to set.") var goal = "Walk every day"
    @Option(help: "Progress on it to report, 0 to 10.") var progress = 6
    @Option(help: "What to say after checking in.") var say = "Thanks, everyone."
    @Option(help: "Give up after this many seconds.") var timeout = 120

    func run() async throws {
        let parts = server.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--server is HOST:PORT.") }
        let (connection, _) = try await CircleConnection.connect(host: String(parts[0]), port: port)
        defer { connection.abort() }
        let redeemed: Reply.Redeemed = try await connection.request(.redeem(.init(code: code, name: name)))
        let room = redeemed.room
        let me = redeemed.account.id
        let joined: Reply.Joined = try await connection.request(.join(.init(room: room)))
        let _: Reply.Appended = try await connection.request(
            .agreementsAccept(.init(room: room, version: joined.agreementsVersion)))
        let _: Reply.Appended = try await connection.request(.goalSet(.init(room: room, text: goal)))
        print("\(name): joined \(joined.name), waiting for my turn")

        let watchdog = Task {
            try await Task.sleep(for: .seconds(timeout))
            connection.abort()
        }
        defer { watchdog.cancel() }
        for await frame in connection.pushes {
            guard case .event(let event) = frame else { continue }
            switch event.body {
            case .turnBegan(let member, _) where member == me:
                let card: MemberProgress = try await connection.request(.progress(.init(room: room)))
                let ratings = card.goals.filter { $0.goal.status == .active }.map {
                    CheckIn.Rating(goal: $0.goal.id, progress: progress)
                }
                let _: Reply.Appended = try await connection.request(
                    .checkIn(
                        .init(
                            room: room, ratings: ratings, kept: card.commitments.isEmpty ? nil : .partly,
                            commitment: "Keep going with: \(goal)")))
                print("\(name): checked in (\(progress)/10)")
            case .roundEnded:
                let _: Reply.Appended = try await connection.request(.say(.init(room: room, text: say)))
                print("\(name): said goodbye; the round is over")
                return
            default:
                continue
            }
        }
    }
}
