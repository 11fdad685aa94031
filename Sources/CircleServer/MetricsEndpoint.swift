import NIOCore
import NIOHTTP1
import NIOPosix

/// `GET /metrics` in the Prometheus text format, on its own (loopback) port; everything else
/// is 404. It has no password, which is why circled binds it to loopback only.
final class MetricsEndpoint: Sendable {
    let channel: any Channel

    static func bind(
        host: String, port: Int, group: any EventLoopGroup, scrape: @escaping @Sendable () -> [UInt8]
    ) async throws -> MetricsEndpoint {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(scrape: scrape))
                }
            }
            .bind(host: host, port: port).get()
        return MetricsEndpoint(channel: channel)
    }

    private init(channel: any Channel) {
        self.channel = channel
    }

    var port: Int { channel.localAddress?.port ?? 0 }

    func close() {
        channel.close(promise: nil)
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let scrape: @Sendable () -> [UInt8]
        var head: HTTPRequestHead?

        init(scrape: @escaping @Sendable () -> [UInt8]) {
            self.scrape = scrape
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                self.head = nil
                let found = head.method == .GET && head.uri.split(separator: "?").first == "/metrics"
                let body = found ? scrape() : Array("Only GET /metrics is served here.\n".utf8)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: found ? "text/plain; version=0.0.4" : "text/plain")
                headers.add(name: "Content-Length", value: String(body.count))
                let status: HTTPResponseStatus = found ? .ok : .notFound
                let keepAlive = head.isKeepAlive
                if !keepAlive { headers.add(name: "Connection", value: "close") }
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                    promise: nil)
                context.write(
                    wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
                let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
                if !keepAlive { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
            }
        }
    }
}
