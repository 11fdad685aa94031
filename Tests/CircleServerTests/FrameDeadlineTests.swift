import CircleCore
import CircleProtocol
import NIOCore
import NIOEmbedded
import Testing

@testable import CircleServer

/// A peer that drips a frame a byte at a time is closed once the frame has been unfinished
/// for the timeout; the test moves the event loop's clock rather than waiting.
@Suite struct FrameDeadlineTests {
    func channel(timeout: Int64 = 30) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(FrameDeadlineHandler(timeout: .seconds(timeout)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7420)).wait()
        return channel
    }

    func send(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(channel.allocator.buffer(string: text))
        _ = try channel.readInbound(as: ByteBuffer.self)
    }

    @Test func aFrameDrippedAByteAtATimeIsClosedAtItsDeadline() throws {
        let channel = try channel()
        for byte in #"{"id":1,"op":"pi"#.utf8 {
            try send(channel, String(UnicodeScalar(byte)))
            channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        }
        // 32 s after its first byte the frame is still unfinished.
        #expect(!channel.isActive)
        let frame = try #require(try channel.readOutbound(as: ByteBuffer.self))
        guard case .error(_, let error) = try ServerFrame.parse(frame) else {
            Issue.record("not an error frame: \(String(buffer: frame))")
            return
        }
        #expect(error.code == .frameIncomplete)
        #expect(error.message.contains("30 s"))
    }

    @Test func wholeFramesAndAFrameThatFinishesInTimeKeepTheConnection() throws {
        let channel = try channel()
        try send(channel, "{\"op\":\"ping\"}\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        try send(channel, "{\"op\":")
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        // The frame ends and the next begins in one read: the new one has its own 30 s.
        try send(channel, "\"ping\"}\n{\"op\":")
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        #expect(channel.isActive)
        try send(channel, "\"ping\"}\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        _ = try channel.finish()
    }
}
