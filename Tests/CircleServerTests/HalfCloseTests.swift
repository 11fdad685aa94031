import CircleCore
import Foundation
import Testing

@testable import CircleServer

#if canImport(Glibc)
    import Glibc
#endif

/// What a plain socket sees, byte for byte, when it says its piece and half-closes: the
/// way `printf … | nc` and many scripts talk.
@Suite struct HalfCloseTests {
    /// A blocking loopback socket, written and read with plain system calls.
    struct PlainSocket {
        let descriptor: Int32

        init(port: Int) throws {
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        func write(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        }

        func halfClose() { shutdown(descriptor, Int32(SHUT_WR)) }

        /// Everything until the server closes, read on a thread of its own: a blocking read on
        /// the cooperative pool would starve the in-process server's tasks (two cores, two
        /// pool threads, and a test beside this one doing the same).
        func readToEnd() async -> String {
            await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: readBlocking()) }.start()
            }
        }

        /// One line, read a byte at a time so nothing after it is taken (on a thread, as above).
        func readLine() async -> String {
            await withCheckedContinuation { continuation in
                Thread {
                    var line: [UInt8] = []
                    var byte: UInt8 = 0
                    while recv(descriptor, &byte, 1, 0) == 1 {
                        line.append(byte)
                        if byte == 0x0A { break }
                    }
                    continuation.resume(returning: String(decoding: line, as: UTF8.self))
                }.start()
            }
        }

        /// Until the server closes (or the 10 s guard against a broken test).
        private func readBlocking() -> String {
            var all: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                all += chunk[0..<count]
            }
            return String(decoding: all, as: UTF8.self)
        }

        func close() { _ = Glibc.close(descriptor) }
    }

    @Test func aClientThatHalfClosesStillGetsEveryReplyItIsOwedAndItsLastLineCounts() async throws {
        let server = try await TestServer.start()
        let token = try server.addFacilitator()
        let socket = try PlainSocket(port: server.port)
        defer { socket.close() }
        socket.write(#"{"id":1,"op":"hello","protocol":1,"token":"\#(token)"}"# + "\n")
        socket.write(#"{"id":2,"op":"room.create","name":"Written then closed"}"# + "\n")
        // The last frame has no newline before the end of the stream.
        socket.write(#"{"id":3,"op":"ping"}"#)
        socket.halfClose()
        let answer = await socket.readToEnd()
        for id in 1...3 {
            #expect(answer.contains(#""id":\#(id),"#), "no reply to \(id) in \(answer)")
        }
        #expect(!answer.contains(#""type":"error""#), "\(answer)")
        #expect(try server.store.roomIDs().count == 1)
        try await server.stop()
    }

    /// Over a real socket: a signed-in peer that leaves a frame unfinished is closed with an
    /// error frame that says why (the timeout is a second here, thirty by default).
    @Test func aFrameLeftUnfinishedClosesTheConnectionWithAReason() async throws {
        let server = try await TestServer.start { $0.frameCompletionSeconds = 1 }
        let token = try server.addFacilitator()
        let socket = try PlainSocket(port: server.port)
        defer { socket.close() }
        socket.write(#"{"id":1,"op":"hello","protocol":1,"token":"\#(token)"}"# + "\n")
        // Signed in first (a loaded machine may take a while), then the frame left unfinished.
        let hello = await socket.readLine()
        #expect(hello.contains(#""id":1,"#), "\(hello)")
        socket.write(#"{"id":2,"op":"pi"#)
        let answer = await socket.readToEnd()
        #expect(answer.contains("frame_incomplete"), "\(answer)")
        try await server.stop()
    }
}
