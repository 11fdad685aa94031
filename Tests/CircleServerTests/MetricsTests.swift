import CircleClient
import CircleCore
import CircleProtocol
import NIOCore
import NIOPosix
import Testing

@testable import CircleServer

/// The Prometheus endpoint over a real loopback socket: what it counts after a little traffic.
@Suite struct MetricsTests {
    /// One HTTP/1.0 GET; the whole response, headers and body.
    static func get(_ path: String, port: Int) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.0\r\nHost: localhost\r\n\r\n"))
            var response = ""
            for try await chunk in inbound { response += String(buffer: chunk) }
            return response
        }
    }

    @Test func theEndpointCountsConnectionsMessagesCommitsAndErrors() async throws {
        let server = try await TestServer.start { $0.metrics = ("127.0.0.1", 0) }
        let port = try #require(server.server.metricsPort)
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        try await scenario.join(sam)
        for text in ["One", "Two", "Three"] { try await scenario.say(sam, text) }
        #expect(await sam.refusal(.say(.init(room: RoomID("rnope"), text: "Hi", cid: nil))) == .noSuchRoom)

        let page = try await Self.get("/metrics", port: port)
        #expect(page.hasPrefix("HTTP/1.0 200") || page.hasPrefix("HTTP/1.1 200"))
        let lines = Set(page.split(separator: "\r\n\r\n", maxSplits: 1).last!.split(separator: "\n").map(String.init))
        #expect(lines.contains("circle_connections 2.0"))
        #expect(lines.contains("circle_rooms 1.0"))
        #expect(lines.contains("circle_open_sessions 1.0"))
        #expect(lines.contains("circle_messages_total 3"))
        #expect(lines.contains(#"circle_errors_total{code="no_such_room"} 1"#))
        #expect(lines.contains(#"circle_errors_total{code="forbidden"} 0"#))
        #expect(lines.contains { $0.hasPrefix("circle_commit_batch_size_count ") })
        #expect(lines.contains { $0.hasPrefix(#"circle_commit_seconds_bucket{le="0.001"}"#) })
        #expect(lines.contains { $0.hasPrefix(#"circle_commit_wait_seconds_bucket{le="0.001"}"#) })
        // Nothing a member wrote, and no token, appears on the page.
        #expect(!page.contains("Three") && !page.contains(scenario.facilitatorToken ?? "-"))

        #expect(try await Self.get("/", port: port).contains(" 404 "))
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func thereIsNoEndpointUnlessAsked() async throws {
        let server = try await TestServer.start()
        #expect(server.server.metricsPort == nil)
        try await server.stop()
    }
}
