import ArgumentParser
import Foundation
import Glibc

/// The floor under every fan-out figure: what one small write to a loopback TCP socket costs
/// the writing thread, with plain system calls and no Circle, NIO or SQLite in the way. On
/// loopback the kernel does the receiving side's TCP work in the writer's system call too, so
/// this is the least a server on this machine pays per delivery that needs its own write.
struct LoopbackFloorBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loopback-floor",
        abstract: "CPU of one small write to a loopback TCP socket: the floor under a delivery.")

    @Option(help: "Socket pairs, each written to in turn.") var connections = 200
    @Option(help: "Bytes per write (the event frame of a 200-byte message is about 370).") var size = 370
    @Option(help: "Rounds; each writes once to every socket, then sleeps 1 ms as a paced server would.")
    var rounds = 200

    func run() throws {
        guard connections > 0, connections <= 5_000, (1...65_536).contains(size), rounds > 0 else {
            throw ValidationError("--connections 1 to 5000, --size 1 to 65536, --rounds above 0.")
        }
        let (writers, readers) = try Self.pairs(connections)
        // Closing the writers ends the reading thread, which closes the readers.
        defer { for fd in writers { close(fd) } }
        let reading = Thread { Self.readAll(readers) }
        reading.start()

        let message = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        let started = Self.threadCPU()
        for _ in 0..<rounds {
            for fd in writers {
                guard message.withUnsafeBytes({ write(fd, $0.baseAddress, size) }) == size else {
                    throw BenchError("a loopback write fell short: \(String(cString: strerror(errno)))")
                }
            }
            usleep(1000)
        }
        let writes = rounds * connections
        let perWrite = (Self.threadCPU() - started) * 1e6 / Double(writes)
        print("loopback floor: \(writes) writes of \(size) bytes to \(connections) sockets")
        print(String(format: "  writer CPU: %.2f µs per write (system call, TCP, and the receiver's TCP)", perWrite))
    }

    /// Connected pairs over 127.0.0.1: the accepted ends write, the connecting ends read.
    static func pairs(_ count: Int) throws -> (writers: [Int32], readers: [Int32]) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                guard bind(listener, generic, length) == 0, listen(listener, 512) == 0,
                    getsockname(listener, generic, &length) == 0
                else { throw BenchError("could not listen on 127.0.0.1: \(String(cString: strerror(errno)))") }
            }
        }
        var writers: [Int32] = []
        var readers: [Int32] = []
        for _ in 0..<count {
            let reader = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(reader, $0, length) }
            }
            let writer = accept(listener, nil, nil)
            guard connected == 0, writer >= 0 else {
                throw BenchError("could not connect over loopback: \(String(cString: strerror(errno)))")
            }
            // As circled sets it: each frame leaves at once.
            var one: Int32 = 1
            setsockopt(writer, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            writers.append(writer)
            readers.append(reader)
        }
        return (writers, readers)
    }

    /// Drains every reader as data comes, on its own thread (whose CPU is not counted), until
    /// the sockets close.
    static func readAll(_ readers: [Int32]) {
        var watched = readers.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !watched.isEmpty {
            guard poll(&watched, nfds_t(watched.count), 1000) >= 0 else { return }
            var closed: Set<Int32> = []
            for entry in watched where entry.revents != 0 {
                let got = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if got <= 0 {
                    close(entry.fd)
                    closed.insert(entry.fd)
                }
            }
            if !closed.isEmpty { watched.removeAll { closed.contains($0.fd) } }
        }
    }

    static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
