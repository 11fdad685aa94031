import CircleCore
import CircleStore
import CoreMetrics
import Prometheus

/// What the Prometheus endpoint reports. Counters are bumped where things happen; the gauges
/// (connections, rooms, open sessions) are read from the live state when scraped, so they
/// cost nothing between scrapes.
///
/// Each server has its own registry rather than the process-wide `MetricsSystem`, so that
/// servers in one test process do not count into each other.
final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let connections: CoreMetrics.Gauge
    private let rooms: CoreMetrics.Gauge
    private let openSessions: CoreMetrics.Gauge
    private let messages: CoreMetrics.Counter
    private let events: CoreMetrics.Counter
    private let commitBatch: CoreMetrics.Recorder
    private let commitLatency: CoreMetrics.Timer
    /// Per request: from its changes being queued to their being durable, which is the least
    /// its acknowledgement (and its fan-out) waits.
    private let commitWait: CoreMetrics.Timer
    /// One counter per code, made up front: refusals are counted without building labels.
    private let errors: [ErrorCode: CoreMetrics.Counter]
    /// Failed commits by kind; `fatal` means the committer has stopped.
    private let commitFaults: [CommitFault.Kind: CoreMetrics.Counter]

    init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets["circle_commit_batch_size"] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
        let durations: [Duration] = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .seconds(1),
        ]
        factory.durationHistogramBuckets["circle_commit_seconds"] = durations
        factory.durationHistogramBuckets["circle_commit_wait_seconds"] = durations
        connections = Gauge(label: "circle_connections", factory: factory)
        rooms = Gauge(label: "circle_rooms", factory: factory)
        openSessions = Gauge(label: "circle_open_sessions", factory: factory)
        messages = Counter(label: "circle_messages_total", factory: factory)
        events = Counter(label: "circle_events_total", factory: factory)
        commitBatch = Recorder(label: "circle_commit_batch_size", factory: factory)
        commitLatency = Timer(label: "circle_commit_seconds", factory: factory)
        commitWait = Timer(label: "circle_commit_wait_seconds", factory: factory)
        var errors: [ErrorCode: CoreMetrics.Counter] = [:]
        for code in ErrorCode.allCases {
            errors[code] = Counter(
                label: "circle_errors_total", dimensions: [("code", code.rawValue)], factory: factory)
        }
        self.errors = errors
        var faults: [CommitFault.Kind: CoreMetrics.Counter] = [:]
        for kind in [CommitFault.Kind.request, .diskFull, .busy, .fatal] {
            faults[kind] = Counter(
                label: "circle_commit_faults_total", dimensions: [("kind", kind.rawValue)], factory: factory)
        }
        commitFaults = faults
    }

    func commitFault(_ kind: CommitFault.Kind) {
        commitFaults[kind]?.increment()
    }

    /// Events made durable by one room commit.
    func committed(_ batch: [Event]) {
        events.increment(by: Int64(batch.count))
        var said = 0
        for event in batch {
            if case .message = event.body { said += 1 }
        }
        if said > 0 { messages.increment(by: Int64(said)) }
    }

    /// One group commit: how many requests it carried, how long it took, how long each waited.
    func commit(_ observation: CommitObservation) {
        commitBatch.record(observation.entries)
        commitLatency.recordNanoseconds(observation.nanoseconds)
        for wait in observation.waits { commitWait.recordNanoseconds(wait) }
    }

    func refused(_ code: ErrorCode) {
        errors[code]?.increment()
    }

    /// The exposition text, after the gauges are read from the live state.
    func scrape(connections: Int, rooms: Int, openSessions: Int) -> [UInt8] {
        self.connections.record(connections)
        self.rooms.record(rooms)
        self.openSessions.record(openSessions)
        return registry.emitToBuffer()
    }
}
