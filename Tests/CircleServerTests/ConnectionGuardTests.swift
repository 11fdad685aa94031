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
/// it pings a quiet line at the heartbeat (and not a busy one) and drops a reader that stopped
/// reading; and the connection's own timers: the auth timeout and the idle logoff. The tests
/// move the loop's clock and the injected one; nothing waits.
@Suite struct ConnectionGuardTests {
    final class Fixture {
        let folder: TemporaryFolder
        let store: Store
        let channel = EmbeddedChannel()
        let clock = ManualClock()
        let transport: LineTransport
        let connection: Connection

        init(heartbeat: Int64 = 30) throws {
            folder = try TemporaryFolder()
            store = try Store(folder: folder.path, durability: .normal)
            var quiet = Logger(label: "test-guard")
            quiet.logLevel = .critical
            let context = try ServerContext(
                store: store, configuration: ServerConfiguration(), clock: clock, logger: quiet)
            transport = LineTransport(channel: channel, drainer: context.drainer(for: channel.eventLoop))
            connection = Connection(transport: transport, context: context)
            try channel.pipeline.syncOperations.addHandler(
                ConnectionGuardHandler(transport: transport, heartbeat: .seconds(heartbeat)))
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
        fixture.transport.noteWrite()
        loop.advanceTime(by: .seconds(15))
        #expect(try fixture.frames().isEmpty)
        loop.advanceTime(by: .seconds(15))
        #expect(try fixture.frames().map(Self.isPing) == [true])
    }

    @Test func aConnectionThatNeverSignsInTimesOut() throws {
        let fixture = try Fixture()
        let opened = fixture.connection.openedAt
        let auth = Int64(ServerConfiguration().authTimeoutSeconds)
        #expect(fixture.connection.timerStep(at: opened) == .sleep(until: opened.adding(seconds: auth)))
        // Talking is not signing in.
        fixture.clock.advance(by: 5_000)
        fixture.connection.noteInbound()
        #expect(fixture.connection.timerStep(at: opened.adding(seconds: auth)) == .signInTimedOut)
    }

    @Test func aSignedInLineIsLoggedOffAfterTheIdleTimeSinceItLastSentAFrame() throws {
        let fixture = try Fixture()
        let connection = fixture.connection
        connection.state.withLock { $0.caller = Caller(account: AccountID("u-1"), kind: .participant) }
        let opened = connection.openedAt
        let idle = Int64(ServerConfiguration().idleLogoffSeconds)
        #expect(connection.timerStep(at: opened) == .sleep(until: opened.adding(seconds: idle)))
        #expect(connection.timerStep(at: opened.adding(seconds: idle)) == .idleLoggedOff)
        fixture.clock.advance(by: 600_000)
        connection.noteInbound()
        let spoke = fixture.clock.now()
        #expect(connection.timerStep(at: opened.adding(seconds: idle)) == .sleep(until: spoke.adding(seconds: idle)))
        #expect(connection.timerStep(at: spoke.adding(seconds: idle)) == .idleLoggedOff)
    }

    @Test func aReaderThatStopsReadingIsDropped() throws {
        let fixture = try Fixture()
        fixture.channel.isWritable = false
        fixture.channel.pipeline.fireChannelWritabilityChanged()
        #expect(!fixture.channel.isActive)
    }
}
