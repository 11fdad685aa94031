import CircleCore
import CircleProtocol
import CircleStore
import CircleTestSupport
import Logging
import NIOEmbedded
import Testing

@testable import CircleServer

/// The one switch from a request to its handler agrees with the role table: no request is
/// routed so that it would skip the check its rule asks for.
@Suite struct RouteTests {
    @Test func everyRequestIsRoutedTheWayItsRuleIsChecked() throws {
        let folder = try TemporaryFolder()
        let store = try Store(folder: folder.path, durability: .normal)
        defer { store.close() }
        var quiet = Logger(label: "test-route")
        quiet.logLevel = .critical
        let context = try ServerContext(
            store: store, configuration: ServerConfiguration(), clock: ManualClock(), logger: quiet)
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        let connection = Connection(
            transport: LineTransport(channel: channel, drainer: context.drainer(for: channel.eventLoop)),
            context: context)
        let caller = Caller(account: AccountID("u-1"), kind: .facilitator)
        for request in RequestExamples.all {
            let route = connection.route(request, id: 1, caller: caller)
            #expect(route.matches(request.operation.spec.rule), "\(request.operation)")
        }
    }

    @Test func aRouteMatchesOnlyTheRuleItChecks() {
        let read = Route.roomRead(RoomID("r-1")) { _, _, _ in }
        #expect(read.matches(.room([.facilitator])))
        #expect(!read.matches(.anyone))
        #expect(!Route.anyone { _ in }.matches(.account([.facilitator])))
        #expect(!Route.account { _ in }.matches(.room([.participant])))
    }
}
