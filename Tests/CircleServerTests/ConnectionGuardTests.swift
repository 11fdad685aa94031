import CircleCore
import CircleProtocol
import CircleStore
import CircleTestSupport
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import CircleServer

/// The connection's guard on an embedded channel, with a real store behind its connection:
/// it pings a quiet line at the heartbeat (and not a busy one), logs off an idle one, and
/// drops a reader that stopped reading. The test moves the loop's clock; nothing waits.
@Suite struct ConnectionGuardTests {
    final class Fixture {
        let folder: TemporaryFolder
        let store: Store
        let channel = EmbeddedChannel()
        let connection: Connection

        init(heartbeat: Int64 = 30) throws {
            folder = try TemporaryFolder()
            store = try Store(folder: folder.path, durability: .normal)
            var quiet = Logger(label: "test-guard")
            quiet.logLevel = .critical
            let context = try ServerContext(
                store: store, configuration: ServerConfiguration(), clock: ManualClock(), logger: quiet)
            connection = Connection(channel: channel, context: context)
            try channel.pipeline.syncOperations.addHandler(
                ConnectionGuardHandler(connection: connection, heartbeat: .seconds(heartbeat)))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7420)).wait()
        }

        deinit {
            _ = try? channel.finish()
            store.close()
        }

        func frames() throws -> [ServerFrame] {
            var frames: [ServerFrame] = []
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
                for line in String(buffer: buffer).split(separator: "\n") {
                    frames.append(try ServerFrame.parse(ByteBuffer(string: String(line))))
                }
            }
            return frames
        }
    }

    static func isPing(_ frame: ServerFrame) -> Bool {
        if case .ping = frame { true } else { false }
    }

    @Test func aQuietLineIsPingedAtTheHeartbeatAndAWrittenOneLater() throws {
        let fixture = try Fixture(heartbeat: 30)
        let loop = fixture.channel.embeddedEventLoop
        loop.advanceTime(by: .seconds(29))
        #expect(try fixture.frames().isEmpty)
        loop.advanceTime(by: .seconds(1))
        #expect(try fixture.frames().map(Self.isPing) == [true])
        // Something written 15 s on puts the next ping off to 30 s after it.
        loop.advanceTime(by: .seconds(15))
        fixture.connection.noteWrite()
        loop.advanceTime(by: .seconds(15))
        #expect(try fixture.frames().isEmpty)
        loop.advanceTime(by: .seconds(15))
        #expect(try fixture.frames().map(Self.isPing) == [true])
    }

    @Test func anIdleLineIsLoggedOffWithAReason() throws {
        let fixture = try Fixture()
        fixture.channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        let frames = try fixture.frames()
        guard case .bye(let reason)? = frames.last else {
            Issue.record("no goodbye: \(frames)")
            return
        }
        #expect(reason.code == .idleLogoff)
        #expect(!fixture.channel.isActive)
    }

    @Test func aReaderThatStopsReadingIsDropped() throws {
        let fixture = try Fixture()
        fixture.channel.isWritable = false
        fixture.channel.pipeline.fireChannelWritabilityChanged()
        #expect(!fixture.channel.isActive)
    }
}
