import CircleCore
import CircleProtocol
import Synchronization

/// The live audience of one room: who is subscribed on which connection, who is online, and
/// delivery of committed events to them in log order.
///
/// A new subscriber starts in catch-up mode: live frames queue behind the history it is being
/// sent, and `goLive` releases them. That is what makes a resume gap-free and duplicate-free.
final class RoomHub: Sendable {
    struct Subscriber {
        var connection: Connection
        var account: AccountID
        var name: String
        var role: RoomRole
        /// Messages held back while catch-up history is being sent; nil once live.
        var held: [Shared]?
        var heldBytes = 0
    }

    /// A connection the room sent out (a kick or a ban), held weakly: it hears when its
    /// member's ban ends, though it no longer follows the room.
    struct SentOut {
        weak var connection: Connection?
    }

    struct State {
        var subscribers: [ObjectIdentifier: Subscriber] = [:]
        /// By member: the connections a kick or a ban sent out, while they live.
        var sentOut: [AccountID: [SentOut]] = [:]
        /// The last sequence number delivered: every event up to it is committed.
        var published: Int64
    }

    let room: RoomID
    /// The most a subscriber in catch-up may have held back for it; past that it is treated as
    /// a reader that cannot keep up, and resumes later.
    let heldLimit: Int
    private let state: Mutex<State>

    init(room: RoomID, published: Int64, heldLimit: Int) {
        self.room = room
        self.heldLimit = heldLimit
        state = Mutex(State(published: published))
    }

    /// Adds a subscriber in catch-up mode. Returns the last published sequence number (history
    /// up to it is for the caller to send) and who is online.
    func subscribe(_ connection: Connection, account: AccountID, name: String, role: RoomRole) -> (
        published: Int64, online: [AccountID]
    ) {
        state.withLock { state in
            let key = ObjectIdentifier(connection)
            let wasOnline = state.subscribers.values.contains { $0.account == account }
            state.subscribers[key] = Subscriber(
                connection: connection, account: account, name: name, role: role, held: [])
            if !wasOnline {
                let shared = Shared(Presence(room: room, member: account, name: name, online: true))
                deliver(shared, in: &state, except: key) { _ in true }
            }
            let online = Set(state.subscribers.values.map(\.account)).sorted()
            return (state.published, online)
        }
    }

    /// Ends catch-up: sends what was held back and delivers live from now on.
    func goLive(_ connection: Connection) {
        state.withLock { state in
            let key = ObjectIdentifier(connection)
            guard let held = state.subscribers[key]?.held else { return }
            connection.send(held.map(Outbound.shared))
            state.subscribers[key]?.held = nil
        }
    }

    func unsubscribe(_ connection: Connection) {
        state.withLock { state in
            guard let removed = state.subscribers.removeValue(forKey: ObjectIdentifier(connection)) else { return }
            if !state.subscribers.values.contains(where: { $0.account == removed.account }) {
                let shared = Shared(Presence(room: room, member: removed.account, name: removed.name, online: false))
                deliver(shared, in: &state, except: nil) { _ in true }
            }
        }
    }

    /// Delivers committed events, each encoded once and shared by every recipient it admits.
    /// Each subscriber's frames of one publish go out together: one hop to its event loop and
    /// one flush (one write to the socket), however many events the commit held.
    func publish(_ events: [Shared]) {
        if events.count == 1, let shared = events.first, case .event(let event) = shared.content {
            // Most commits carry one event per room: each recipient gets that one frame, and no
            // per-recipient list is built.
            let (recipients, notice) = state.withLock { state in
                // Recipients first: a kicked member is still among them, and hears why.
                let recipients = deliverable(shared, in: &state) { event.audience.admits($0.account, role: $0.role) }
                state.published = event.seq
                return (recipients, follow(event, shared, in: &state))
            }
            for connection in recipients { connection.send(.shared(shared)) }
            notice?.send()
            return
        }
        var outbox: [ObjectIdentifier: (connection: Connection, frames: [Outbound])] = [:]
        let notices = state.withLock { state in
            var notices: [Notice] = []
            for shared in events {
                guard case .event(let event) = shared.content else { continue }
                for connection in deliverable(
                    shared, in: &state, to: { event.audience.admits($0.account, role: $0.role) })
                {
                    outbox[ObjectIdentifier(connection), default: (connection, [])].frames.append(.shared(shared))
                }
                state.published = event.seq
                if let notice = follow(event, shared, in: &state) { notices.append(notice) }
            }
            return notices
        }
        for (_, entry) in outbox { entry.connection.send(entry.frames) }
        for notice in notices { notice.send() }
    }

    /// A message that follows an event to the live subscribers, sent after the event's frames
    /// so that no one sees its effect before its cause.
    private struct Notice {
        let shared: Shared
        let recipients: [Connection]

        func send() {
            for connection in recipients { connection.send(.shared(shared)) }
        }
    }

    /// Keeps subscriptions in step with the room: a kicked or banned member is sent out after
    /// being told why, and the others are told they went; when the ban ends, the connections it
    /// sent out hear that too; a new role changes what a member receives from now on.
    private func follow(_ event: Event, _ shared: Shared, in state: inout State) -> Notice? {
        var notice: Notice?
        for effect in Effect.of(event) {
            switch effect {
            case .unsubscribe(let member):
                let removed = state.subscribers.filter { $0.value.account == member }
                for key in removed.keys { state.subscribers[key] = nil }
                let kept = (state.sentOut[member] ?? []).filter { $0.connection != nil }
                state.sentOut[member] = kept + removed.values.map { SentOut(connection: $0.connection) }
                guard let name = removed.values.first?.name else { continue }
                let gone = Shared(Presence(room: room, member: member, name: name, online: false))
                notice = Notice(shared: gone, recipients: deliverable(gone, in: &state) { _ in true })
            case .readmit(let member):
                // Those following the room again already had the event with everyone.
                let following = Set(state.subscribers.keys)
                let away = (state.sentOut.removeValue(forKey: member) ?? []).compactMap(\.connection)
                    .filter { !following.contains(ObjectIdentifier($0)) }
                if !away.isEmpty { notice = Notice(shared: shared, recipients: away) }
            case .receiveAs(let member, let role):
                for (key, subscriber) in state.subscribers where subscriber.account == member {
                    state.subscribers[key]?.role = role
                }
            case .rearmRoundTimer, .moveOnIfAway:
                // The room's runtime carries these out after the commit.
                break
            }
        }
        return notice
    }

    /// Whether any of the member's connections follows the room.
    func isOnline(_ account: AccountID) -> Bool {
        state.withLock { $0.subscribers.values.contains { $0.account == account } }
    }

    /// Everyone following the room now.
    var onlineAccounts: Set<AccountID> {
        state.withLock { Set($0.subscribers.values.map(\.account)) }
    }

    var published: Int64 {
        state.withLock { $0.published }
    }

    /// The live subscribers `shared` goes to, for the caller to send outside the lock; one
    /// still catching up holds it instead.
    private func deliverable(
        _ shared: Shared, in state: inout State, except skipped: ObjectIdentifier? = nil,
        to admits: (Subscriber) -> Bool
    ) -> [Connection] {
        var recipients: [Connection] = []
        recipients.reserveCapacity(state.subscribers.count)
        for (key, subscriber) in state.subscribers where key != skipped && admits(subscriber) {
            if subscriber.held == nil {
                recipients.append(subscriber.connection)
            } else {
                hold(shared, for: key, subscriber, in: &state)
            }
        }
        return recipients
    }

    private func deliver(
        _ shared: Shared, in state: inout State, except skipped: ObjectIdentifier?,
        to admits: (Subscriber) -> Bool
    ) {
        for connection in deliverable(shared, in: &state, except: skipped, to: admits) {
            connection.send(.shared(shared))
        }
    }

    /// Holds `shared` for a subscriber still catching up, within its limit.
    private func hold(_ shared: Shared, for key: ObjectIdentifier, _ subscriber: Subscriber, in state: inout State) {
        if subscriber.heldBytes + shared.size > heldLimit {
            // Dropped rather than buffered without bound; the client resumes from its last
            // sequence number.
            state.subscribers[key] = nil
            subscriber.connection.transport.abort()
        } else {
            state.subscribers[key]?.held?.append(shared)
            state.subscribers[key]?.heldBytes += shared.size
        }
    }
}
