import CircleCore
import NIOSSL

/// Everything an operator can tune about the server, with the defaults a clinic starts from.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 7420
    /// The largest frame accepted, in bytes. A message of 4,000 characters of any script fits
    /// with room to spare; anything larger is a broken or hostile client.
    public var maxFrameSize = 64 * 1024
    /// Seconds of outbound silence before the server pings, so clients notice a dead link.
    public var heartbeatSeconds = 30
    /// Seconds a connection may stay unauthenticated before it is closed.
    public var authTimeoutSeconds = 10
    /// Bytes queued for one connection before it counts as too slow and is disconnected; it
    /// can resume from its last sequence number.
    public var outboundLimit = 1024 * 1024
    /// Events of the current session sent on joining without a resume point.
    public var joinHistory = 50
    /// The largest page `history` returns.
    public var maxHistoryPage = 500
    /// Bad frames in a row before the connection is closed.
    public var maxBadFrames = 10
    /// The longest an invite may stay valid, in seconds (90 days).
    public var maxInviteLifetime: Int64 = 90 * 24 * 3600
    /// An invite's lifetime when the facilitator names none, in seconds (7 days).
    public var defaultInviteLifetime: Int64 = 7 * 24 * 3600
    public var serverVersion = "circled/0.1.0"
    /// The crisis text and the risk phrases; the operator may replace both.
    public var safety = SafetySettings.standard
    /// The questionnaires rounds may ask: PHQ-9 and GAD-7, and the site's own.
    public var instruments = InstrumentCatalog.builtIn
    /// Days a closed session's events stay in the live database once its archive is written
    /// and verified; nil keeps them for ever. Rooms under legal hold are never purged.
    public var retentionDays: Int?
    /// How often retention looks for sessions to purge, in seconds.
    public var retentionInterval: Int = 3600
    /// The most members a room takes (facilitators included): a group of six to nine with its
    /// facilitators fits.
    public var maxMembersPerRoom = 12
    /// Requests per second one connection may make on average, and in a burst (a token
    /// bucket); past that a request is refused with the time to wait. 0 turns it off.
    public var requestsPerSecond = 10.0
    public var requestBurst = 30.0
    /// Connections one IP address may hold at once (loopback is exempt: a reverse proxy or the
    /// benchmark). 0 turns it off.
    public var maxConnectionsPerIP = 64
    /// Whether loopback is exempt from `maxConnectionsPerIP`; off only in the tests that check
    /// the limit itself, which can only connect from loopback.
    var loopbackIsExempt = true
    /// Seconds a frame may stay unfinished (bytes without their newline) before the
    /// connection is closed: a person's client sends a frame in one write.
    var frameCompletionSeconds = 30
    /// Failed sign-ins one address may make per interval before its sign-ins are refused
    /// until the interval ends, and failed sign-ins one connection may make before it is
    /// closed. Loopback is exempt by address as above.
    var failedSignInsPerAddress = 20
    var failedSignInSeconds = 60
    var failedSignInsPerConnection = 5
    /// Seconds without any request from a signed-in connection before it is logged off (the
    /// automatic logoff clinics are asked for). 0 turns it off.
    public var idleLogoffSeconds = 20 * 60
    /// TLS for every client connection; nil listens in plain text (development on loopback).
    public var tls: NIOSSLContext?
    /// Where the IRC gateway listens (`irc-listen`); nil: no gateway. It uses `tls` as the
    /// main listener does.
    public var irc: (host: String, port: Int)?
    /// Where the Prometheus endpoint listens (a loopback address); nil: no endpoint.
    public var metrics: (host: String, port: Int)?

    public init() {}

    /// Whether a host name or IP address names this machine's loopback: the one test for
    /// the plain-text warning, the metrics address and the per-address limit's exemption.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.") || host.hasPrefix("::ffff:127.")
    }
}
