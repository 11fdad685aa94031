import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import Dispatch
import Foundation

/// A resume storm: every member drops off, the rooms go on, and they all come back at once
/// and resume from their last sequence number.
struct ResumeStormBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume-storm", abstract: "N clients reconnecting at once and resuming a backlog.")

    @Option(help: "Clients in all.") var clients = 1000
    @Option(help: "Rooms they are spread over.") var rooms = 100
    @Option(help: "Messages each room gets while they are away.") var backlog = 20

    func run() async throws {
        let server = try ServerProcess.start()
        defer { server.stop() }
        let members = try await FanoutBench.setUp(server, rooms: rooms, members: max(1, clients / rooms))
        for member in members.joined() { member.connection.abort() }
        let (facilitator, _) = try await CircleConnection.connect(
            host: "127.0.0.1", port: server.port, token: server.token)
        defer { facilitator.abort() }
        var last: [RoomID: Int64] = [:]
        for room in members.compactMap({ $0.first?.room }) {
            for index in 0..<backlog {
                let appended: Reply.Appended = try await facilitator.request(
                    .say(.init(room: room, text: "while you were away \(index)")))
                last[room] = appended.seq
            }
        }
        let port = server.port
        let cpuBefore = server.cpuSeconds
        let started = DispatchTime.now().uptimeNanoseconds
        let results = try await withThrowingTaskGroup(of: (gaps: Int, events: Int).self) { group in
            for member in members.joined() {
                let target = last[member.room] ?? member.through
                group.addTask {
                    let (client, _) = try await CircleConnection.connect(
                        host: "127.0.0.1", port: port, token: member.token)
                    defer { client.abort() }
                    let _: Reply.Joined = try await client.request(
                        .join(.init(room: member.room, since: member.through)))
                    var expected = member.through + 1
                    var gaps = 0
                    var events = 0
                    for await frame in client.pushes {
                        guard case .event(let event) = frame else { continue }
                        if event.seq != expected { gaps += 1 }
                        expected = event.seq + 1
                        events += 1
                        if event.seq >= target { break }
                    }
                    return (gaps, events)
                }
            }
            return try await group.reduce(into: [(gaps: Int, events: Int)]()) { $0.append($1) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let cpu = server.cpuSeconds - cpuBefore
        let events = results.reduce(0) { $0 + $1.events }
        print("resume storm: \(results.count) clients over \(rooms) rooms, \(backlog) missed messages per room")
        print(
            String(
                format: "  all resumed in %.2f s; %d events replayed; server CPU %.2f s; peak RSS %d MB", seconds,
                events, cpu, server.memory("VmHWM") / 1024))
        print("  checks: \(results.reduce(0) { $0 + $1.gaps }) gaps")
    }
}

/// A round storm: many rooms run check-in rounds at once, every member checking in the moment
/// their turn begins.
struct RoundStormBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "round-storm", abstract: "R rooms running check-in rounds at once.")

    @Option(help: "Rooms.") var rooms = 500
    @Option(help: "Members per room.") var members = 4

    func run() async throws {
        let server = try ServerProcess.start()
        defer { server.stop() }
        let all = try await FanoutBench.setUp(server, rooms: rooms, members: members)
        let (facilitator, _) = try await CircleConnection.connect(
            host: "127.0.0.1", port: server.port, token: server.token)
        defer { facilitator.abort() }
        // Each member checks in as soon as its turn begins; the hand-over is measured from the
        // check-in's send to the next turn's arrival at the next member.
        let takers = all.joined().map { member in
            Task { () -> [UInt64] in
                var handovers: [UInt64] = []
                for await frame in member.connection.pushes {
                    guard case .event(let event) = frame else { continue }
                    if case .roundEnded = event.body { break }
                    guard case .turnBegan(let whose, _) = event.body else { continue }
                    if whose == member.account {
                        let sent = DispatchTime.now().uptimeNanoseconds
                        let _: Reply.Appended? = try? await member.connection.request(
                            .checkIn(.init(room: member.room)))
                        handovers.append(DispatchTime.now().uptimeNanoseconds - sent)
                    }
                }
                return handovers
            }
        }
        let cpuBefore = server.cpuSeconds
        let started = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for room in all.compactMap({ $0.first?.room }) {
                group.addTask {
                    let _: Reply.Appended = try await facilitator.request(
                        .roundStart(.init(room: room, prompt: "One word for your week?")))
                }
            }
            try await group.waitForAll()
        }
        var latencies: [UInt64] = []
        for taker in takers { latencies += await taker.value }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let cpu = server.cpuSeconds - cpuBefore
        print("round storm: \(rooms) rooms x \(members) members, every round at once")
        print(
            String(
                format: "  %d check-ins, every round ended in %.2f s; server CPU %.2f s (%.0f µs per turn)",
                latencies.count, seconds, cpu, cpu * 1e6 / Double(max(latencies.count, 1))))
        print("  check-in acknowledged: \(Percentiles(latencies).summary)")
        for member in all.joined() { member.connection.abort() }
    }
}
