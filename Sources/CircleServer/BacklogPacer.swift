/// Sends a long backlog (a resume after hours away) at the pace the client reads it.
///
/// Without pacing, a resume would queue the whole backlog at once and trip the outbound limit
/// meant for readers who cannot keep up. Every `budget` bytes it waits until what it queued
/// has reached the socket, so the queue never holds much more than `budget`.
struct BacklogPacer {
    let connection: Connection
    let budget: Int
    private var queued = 0

    init(connection: Connection, budget: Int) {
        self.connection = connection
        self.budget = max(budget, 1)
    }

    mutating func send(_ message: Outbound) async throws {
        queued += message.size
        if queued >= budget {
            queued = 0
            try await connection.sendAndWait(message)
        } else {
            connection.send(message)
        }
    }
}

extension Outbound {
    /// About how many bytes it takes on the wire: a stored event's JSON, or a small frame.
    var size: Int {
        switch self {
        case .storedEvent(let json): json.count + 32
        case .shared(let shared): shared.size
        case .reply, .appended, .error, .purged, .bye: 128
        }
    }
}
