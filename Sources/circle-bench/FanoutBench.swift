import ArgumentParser
import CircleClient
import CircleCore
import CircleProtocol
import Dispatch
import Foundation
import NIOCore
import Synchronization

/// Fan-out: R rooms of M members each send K messages of P bytes, in a burst or paced; every
/// member receives every message of their room. Reports deliveries per second, latency from the
/// send time carried in each message, the server's CPU per delivery and its peak RSS, and checks
/// that nothing was lost, duplicated or reordered.
struct FanoutBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout", abstract: "Rooms x members x messages over TCP against a circled child process.")

    @Option(help: "Rooms.") var rooms = 20
    @Option(help: "Members per room, each on its own connection.") var members = 8
    @Option(help: "Messages each member sends.") var messages = 200
    @Option(help: "Bytes of text per message.") var size = 100
    @Option(help: "Messages per second per member; 0 sends as fast as acknowledgements come.") var rate = 0.0
    @Option(help: "Messages each member may have unacknowledged at once.") var window = 1

    func run() async throws {
        guard rooms > 0, members > 0, messages > 0, (40...4000).contains(size), rate >= 0, window > 0 else {
            throw ValidationError(
                "--rooms, --members, --messages and --window above 0, --size 40 to 4000, --rate 0 or more.")
        }
        let server = try ServerProcess.start()
        defer { server.stop() }
        let clients = try await Self.setUp(server, rooms: rooms, members: members)
        let expected = members * messages
        // Listening before anything is sent, so no event reaches a member before its count does.
        let tallies = clients.joined().map { Tally.listening(to: $0.connection, expected: expected) }

        let cpuBefore = server.cpuTimes
        let clientCPUBefore = CPUTimes.ofThisProcess().total
        let started = DispatchTime.now().uptimeNanoseconds
        let sends = clients.enumerated().flatMap { roomIndex, room in
            room.enumerated().map { memberIndex, member in
                LoopSender(
                    member.connection, room: member.room, sender: roomIndex * members + memberIndex,
                    messages: messages, size: size, rate: rate, window: window, started: started
                ).run()
            }
        }
        try await EventLoopFuture.andAllSucceed(sends, on: sends[0].eventLoop).get()
        // Anything missing after 30 s is lost: closing the connections ends the receivers.
        let connections = clients.joined().map(\.connection)
        let watchdog = Task {
            try await Task.sleep(for: .seconds(30))
            for connection in connections { connection.abort() }
        }
        var report = Receipt()
        for tally in tallies { report.merge(await tally.counted()) }
        let seconds = Double(report.lastArrival - started) / 1e9
        watchdog.cancel()
        let used = server.cpuTimes.subtracting(cpuBefore)
        let cpu = used.total
        let clientCPU = CPUTimes.ofThisProcess().total - clientCPUBefore
        let deliveries = report.delivered
        let pace = rate == 0 ? "burst" : String(format: "%.1f messages/s per member", rate)
        let mode = window == 1 ? pace : "\(pace), up to \(window) unacknowledged per member"
        print("fan-out: \(rooms) rooms x \(members) members x \(messages) messages of \(size) bytes, \(mode)")
        print(
            String(
                format: "  delivered:  %d of %d in %.2f s = %.0f deliveries/s (%d messages acknowledged)", deliveries,
                rooms * members * expected, seconds, Double(deliveries) / seconds, rooms * members * messages))
        print("  latency:    \(Percentiles(report.latencies).summary)")
        print(
            String(
                format: "  server CPU: %.2f s = %.2f µs per delivery, %.1f µs per message", cpu,
                cpu * 1e6 / Double(max(deliveries, 1)), cpu * 1e6 / Double(rooms * members * messages)))
        // On loopback the kernel runs the receiving side's TCP inside the server's writes, so
        // the kernel's share is not all the server's own.
        print(String(format: "              %.2f s in its own code, %.2f s in the kernel", used.user, used.system))
        print("  frames:     \(report.bytes / max(deliveries, 1)) bytes per delivery on average")
        print("  server RSS: peak \(server.memory("VmHWM") / 1024) MB")
        // The clients share the machine's cores with the server: what they take, it cannot have.
        print(String(format: "  client CPU: %.2f s (this benchmark's own process)", clientCPU))
        print("  checks:     \(report.lost) lost, \(report.duplicated) duplicated, \(report.reordered) out of order")
        for connection in clients.joined() { connection.connection.abort() }
    }

    struct Member {
        var connection: CircleConnection
        var room: RoomID
        var token: String
        var account: AccountID
        /// The last sequence number in the room when the member joined.
        var through: Int64
    }

    /// A facilitator opens each room and a session; each member redeems, accepts and joins.
    static func setUp(_ server: ServerProcess, rooms: Int, members: Int) async throws -> [[Member]] {
        let (facilitator, _) = try await CircleConnection.connect(
            host: "127.0.0.1", port: server.port, token: server.token)
        defer { facilitator.abort() }
        var all: [[Member]] = []
        let port = server.port
        for index in 0..<rooms {
            let room: Reply.RoomCreated = try await facilitator.request(.roomCreate(.init(name: "bench \(index)")))
            let invite: Reply.InviteCreated = try await facilitator.request(
                .inviteCreate(.init(room: room.room, uses: members)))
            let _: Reply.Appended = try await facilitator.request(.sessionOpen(.init(room: room.room)))
            let joined = try await withThrowingTaskGroup(of: Member.self) { group in
                for number in 0..<members {
                    group.addTask {
                        let (client, _) = try await CircleConnection.connect(host: "127.0.0.1", port: port)
                        let redeemed: Reply.Redeemed = try await client.request(
                            .redeem(.init(code: invite.code, name: "member \(number)")))
                        let _: Reply.Appended = try await client.request(
                            .agreementsAccept(.init(room: room.room, version: 1)))
                        let joined: Reply.Joined = try await client.request(.join(.init(room: room.room)))
                        return Member(
                            connection: client, room: room.room, token: redeemed.token ?? "",
                            account: redeemed.account.id,
                            through: joined.through)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            all.append(joined)
        }
        return all
    }

    /// What one member received, checked.
    struct Receipt: Sendable {
        var latencies: [UInt64] = []
        var delivered = 0
        /// Bytes of the event frames counted, newlines included.
        var bytes = 0
        var lost = 0
        var duplicated = 0
        var reordered = 0
        /// When the last message arrived (uptime nanoseconds).
        var lastArrival: UInt64 = 0
        /// While counting: the highest seq seen, and each sender's next expected number.
        var lastSeq: Int64 = 0
        var next: [Int: Int] = [:]

        mutating func merge(_ other: Receipt) {
            lastArrival = max(lastArrival, other.lastArrival)
            latencies += other.latencies
            delivered += other.delivered
            bytes += other.bytes
            lost += other.lost
            duplicated += other.duplicated
            reordered += other.reordered
        }
    }

    /// Checks a member's events as they arrive, on its connection's event loop and without
    /// decoding them: the 160 clients of the burst share the server's two cores, and decoding
    /// every event through JSONDecoder cost them three times the server's CPU.
    final class Tally: Sendable {
        let expected: Int
        private let receipt = Mutex(Receipt())
        private let finished: EventLoopPromise<Void>
        private let over = Mutex(false)

        init(expected: Int, on loop: any EventLoop) {
            self.expected = expected
            self.finished = loop.makePromise()
            receipt.withLock { $0.latencies.reserveCapacity(expected) }
        }

        /// Counts `connection`'s events from now on, until `expected` have come or it closes
        /// (the watchdog closes them all).
        static func listening(to connection: CircleConnection, expected: Int) -> Tally {
            let tally = Tally(expected: expected, on: connection.eventLoop)
            connection.takeRawEvents { frame in tally.take(frame) }
            Task {
                for await _ in connection.pushes {}
                tally.finish()
            }
            return tally
        }

        /// What the member received once the count is over; what never came is lost.
        func counted() async -> Receipt {
            try? await finished.futureResult.get()
            var receipt = receipt.withLock { $0 }
            receipt.lost += max(0, expected - receipt.delivered - receipt.lost)
            return receipt
        }

        func take(_ frame: ByteBuffer) {
            let now = DispatchTime.now().uptimeNanoseconds
            // `"seq":N` and the text's head `"text":"t<sent>|<sender>|<number>|`, both as the
            // server writes a message event; found with memchr and memcmp, as a byte-by-byte scan cost the
            // clients more than anything else they did.
            let fields = frame.withUnsafeReadableBytes {
                bytes -> (seq: Int64, sent: UInt64, sender: Int, number: Int)? in
                guard let seq = Self.number(after: Self.seqMarker, in: bytes),
                    let head = Self.offset(after: Self.textMarker, in: bytes)
                else { return nil }
                let parts = bytes[head...].prefix(64).split(separator: UInt8(ascii: "|"), maxSplits: 3)
                guard parts.count >= 3, let sent = UInt64(String(decoding: parts[0], as: UTF8.self)),
                    let sender = Int(String(decoding: parts[1], as: UTF8.self)),
                    let number = Int(String(decoding: parts[2], as: UTF8.self))
                else { return nil }
                return (seq, sent, sender, number)
            }
            guard let (seq, sent, sender, number) = fields else { return }
            let finished = receipt.withLock { receipt -> Bool in
                if seq <= receipt.lastSeq { receipt.reordered += 1 }
                receipt.lastSeq = max(receipt.lastSeq, seq)
                let wanted = receipt.next[sender, default: 0]
                if number < wanted {
                    receipt.duplicated += 1
                } else {
                    receipt.lost += number - wanted
                    receipt.next[sender] = number + 1
                }
                receipt.latencies.append(now - sent)
                receipt.delivered += 1
                receipt.bytes += frame.readableBytes + 1
                receipt.lastArrival = now
                return receipt.delivered == expected
            }
            if finished { finish() }
        }

        static let seqMarker = Array(#""seq":"#.utf8)
        static let textMarker = Array(#""text":"t"#.utf8)

        static func offset(after marker: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
            guard let base = bytes.baseAddress, bytes.count >= marker.count else { return nil }
            let last = bytes.count - marker.count
            var start = 0
            return marker.withUnsafeBytes { needle -> Int? in
                while start <= last, let hit = memchr(base + start, Int32(marker[0]), last - start + 1) {
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, needle.baseAddress!, marker.count) == 0 { return at + marker.count }
                    start = at + 1
                }
                return nil
            }
        }

        static func number(after marker: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int64? {
            guard let start = offset(after: marker, in: bytes) else { return nil }
            let digits = bytes[start...].prefix { $0 >= 0x30 && $0 <= 0x39 }
            return Int64(String(decoding: digits, as: UTF8.self))
        }

        func finish() {
            guard
                over.withLock({ over in
                    defer { over = true }
                    return !over
                })
            else { return }
            finished.succeed()
        }
    }
}
