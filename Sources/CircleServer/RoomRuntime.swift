import CircleCore
import CircleProtocol
import CircleStore
import Foundation
import Synchronization

/// One live room: its state, the single place commands are decided, and its hub.
///
/// Commands for a room are decided one at a time under its lock and handed to the group
/// committer before the lock is released, so the committer sees each room's events in
/// sequence order. The state runs ahead of the disk by the commits still in flight; if a commit
/// refuses some of its events, the room is read back from its log (`resync`) before anything
/// of it is written again, so that lead never turns into a gap.
final class RoomRuntime: Sendable {
    let id: RoomID
    let hub: RoomHub
    private let state: Mutex<RoomState>
    private let store: any Storage
    private var committer: any Committer { store.committer }
    private let site: SiteRules
    private let clock: any Clock
    private let metrics: ServerMetrics?
    /// The last seq a snapshot of this room was written (or queued) for.
    private let snapshotSeq: Atomic<Int64>
    /// Events between two snapshots of a room: a start replays at most about this many per
    /// room after its snapshot.
    static let snapshotInterval: Int64 = 10_000
    /// Where the room's next wake-up is kept, for the one service that sleeps on them all.
    private let wakeups: RoomWakeups

    /// The caller the server's own housekeeping commands run as.
    static let server = Caller(account: AccountID("server"), kind: .facilitator)

    init(
        state: RoomState, store: any Storage, configuration: ServerConfiguration, clock: any Clock,
        wakeups: RoomWakeups, metrics: ServerMetrics?,
        snapshotSeq: Int64 = 0
    ) {
        self.snapshotSeq = Atomic(snapshotSeq)
        id = state.id
        hub = RoomHub(room: state.id, published: state.lastSeq, heldLimit: configuration.outboundLimit)
        self.state = Mutex(state)
        self.store = store
        site = SiteRules(
            safety: configuration.safety, instruments: configuration.instruments,
            maxMembers: configuration.maxMembersPerRoom)
        self.clock = clock
        self.wakeups = wakeups
        self.metrics = metrics
    }

    /// Rebuilds a room from its log.
    static func load(
        _ id: RoomID, from store: any Storage, configuration: ServerConfiguration, clock: any Clock,
        wakeups: RoomWakeups, metrics: ServerMetrics?
    ) throws -> RoomRuntime {
        let (state, snapshot) = try replay(id, from: store)
        return RoomRuntime(
            state: state, store: store, configuration: configuration, clock: clock, wakeups: wakeups,
            metrics: metrics, snapshotSeq: snapshot)
    }

    /// A room's state as its log adds up to, from its snapshot (if one of this version is
    /// stored) and the events after it; through RoomLog, so sessions that retention purged are
    /// read back from their archives. Returns the state and the seq its snapshot was of.
    /// `contiguous` refuses a log with a hole in it (`GapInLog`), for a replay while the
    /// server runs: retention may purge a session between reading its purges and its events.
    static func replay(_ id: RoomID, from store: any Storage, contiguous: Bool = false) throws -> (RoomState, Int64) {
        var state = RoomState(id: id)
        var after: Int64 = 0
        // Trusted only if the log reaches it: a snapshot is never of more than the log holds.
        if let stored = try store.snapshot(room: id), stored.version == RoomState.snapshotVersion,
            stored.seq <= (try store.lastSeq(room: id)),
            let decoded = try? JSONDecoder().decode(RoomState.self, from: stored.json),
            decoded.id == id, decoded.lastSeq == stored.seq
        {
            state = decoded
            after = stored.seq
        }
        try RoomLog(store: store).forEachEvent(room: id, after: after) { event in
            if contiguous && event.seq != state.lastSeq + 1 { throw GapInLog(after: state.lastSeq, next: event.seq) }
            state.apply(event)
        }
        return (state, after)
    }

    /// A room's log read with a hole in it.
    struct GapInLog: Error, CustomStringConvertible {
        var after: Int64
        var next: Int64
        var description: String { "the log jumps from \(after) to \(next)" }
    }

    /// Queues a snapshot of the room once `snapshotInterval` events have passed since the
    /// last (or, with `force`, whenever there is anything new: at shutdown). It follows the
    /// room's events in the committer's queue, so it is never of a state the log does not
    /// hold, and a refused event refuses it too.
    func snapshotIfDue(force: Bool = false) {
        state.withLock { queueSnapshot(of: $0, force: force) }
    }

    /// Under the room's lock, right after its events were queued.
    private func queueSnapshot(of state: RoomState, force: Bool) {
        let last = snapshotSeq.load(ordering: .relaxed)
        guard state.exists, state.lastSeq > last, force || state.lastSeq - last >= Self.snapshotInterval,
            let json = try? JSONEncoder().encode(state)
        else { return }
        snapshotSeq.store(state.lastSeq, ordering: .relaxed)
        committer.submit([.snapshot(room: id, seq: state.lastSeq, version: RoomState.snapshotVersion, json: json)]) {
            _ in
        }
    }

    /// Reads the room back from its log after the committer refused some of its events (see
    /// `GroupCommitter`): what it decided past the log is void, and so is every request of it
    /// still queued, which is refused. Runs on the committer's thread before its next batch.
    /// Returns the refusals of the discarded requests, for the committer to send after its
    /// batch's replies; if the room cannot be read back, stops the committer (a room ahead of
    /// its log must not write) and says why in `failure`.
    func resync() -> (refusals: [@Sendable () -> Void], failure: (any Error)?) {
        let (discarded, failure): ([GroupCommitter.Completion], (any Error)?) = state.withLock { state in
            let discarded = committer.discardQueued(room: id)
            // A purge racing the read shows as a hole; read again once it has landed.
            var failure: (any Error)?
            for _ in 0..<3 {
                do {
                    let (replayed, snapshot) = try Self.replay(id, from: store, contiguous: true)
                    state = replayed
                    snapshotSeq.store(snapshot, ordering: .relaxed)
                    return (discarded, nil)
                } catch {
                    failure = error
                }
            }
            return (discarded, failure)
        }
        let refusal =
            failure == nil
            ? CircleError(
                .storageUnavailable, "The room was catching up after a refused request; nothing was stored. Try again.")
            : CircleError(.storageUnavailable, "The server could not save that; nothing was stored.")
        if failure != nil { committer.stop(refusal) }
        scheduleRoundTimer()
        return (discarded.map { completion in { completion(.failure(refusal)) } }, failure)
    }

    /// Wakes the room at its next moment (`RoomState.nextWake`: a round's deadline to warn or
    /// move on, a timed ban's end); replaces any earlier wake-up, so there is never more than one.
    func scheduleRoundTimer() {
        // Read and set under the room's lock, so two rearms cannot leave the older deadline.
        state.withLock { state in wakeups.set(id, at: state.nextWake) }
    }

    /// The room's moment has come (`RoomWakeupService`, on the injected clock).
    func wake() {
        execute(.tick, by: Self.server, at: clock.now()) { _ in }
    }

    /// The member holding the turn is not connected: they move to the end of the queue.
    func memberAway(_ member: AccountID) {
        guard read({ $0.round?.current == member }), !hub.isOnline(member) else { return }
        execute(.away(member: member), by: Self.server, at: clock.now()) { _ in }
    }

    /// Records a participant's arrival at the open session, once.
    func memberArrived(_ member: AccountID) {
        let due = read { state in
            state.openSession.map { state.records[member]?.attendance[$0] == nil } ?? false
                && state.members[member]?.role == .participant
        }
        guard due else { return }
        execute(.arrive, by: Caller(account: member, kind: .participant), at: clock.now()) { _ in }
    }

    /// Reads the state under the lock.
    func read<T>(_ body: (RoomState) -> T) -> T {
        state.withLock { body($0) }
    }

    /// Decides `command` and, if it changes the room, commits its events together with
    /// `extra` (rows the request needs beside them). `completion` runs once: after the commit
    /// and the fan-out, or at once when the command is refused.
    func execute(
        _ command: RoomCommand, by caller: Caller, at now: Timestamp, extra: [StoreChange] = [],
        completion: @escaping @Sendable (Result<Decision, CircleError>) -> Void
    ) {
        // Answers known at once (a refusal, nothing to do) are given after the lock is let go,
        // so a completion may read or change the room again.
        let immediate: Result<Decision, CircleError>? = state.withLock { state in
            let decision: Decision
            do throws(CircleError) {
                if let original = try earlier(command, by: caller, in: state) {
                    decision = .duplicate(of: original)
                } else {
                    decision = try state.execute(command, by: caller, at: now, site: site)
                }
            } catch {
                return .failure(error)
            }
            switch decision {
            case .duplicate:
                // Answer only once the original is durable: it may still be in flight, and if
                // it is refused, so is this (the barrier ties it to the room's queue).
                committer.submit([.barrier(room: id)]) { result in completion(result.map { decision }) }
            case .append(let events) where events.isEmpty && extra.isEmpty:
                return .success(decision)
            case .append(let events):
                let encoded: [(event: Event, json: Data)]
                do {
                    encoded = try events.map { ($0, try ServerFrame.encodeEventJSON($0)) }
                } catch {
                    return .failure(CircleError(.internalError, "The event could not be encoded."))
                }
                let changes = extra + encoded.map { StoreChange.event($0.event, json: $0.json) }
                let hub = hub
                committer.submit(changes) { [self] result in
                    if case .success = result {
                        hub.publish(encoded.map { Shared($0.event, json: $0.json) })
                        metrics?.committed(events)
                        follow(decision.effects)
                    }
                    completion(result.map { decision })
                }
                queueSnapshot(of: state, force: false)
            }
            return nil
        }
        if let immediate { completion(immediate) }
    }

    /// The log position of an earlier message with this command's client id that the room no
    /// longer remembers (it keeps each member's last few): the store's unique index is the
    /// authority on repeats, however old. Asked only once a member has sent more than the room
    /// remembers, so the common path reads nothing.
    private func earlier(_ command: RoomCommand, by caller: Caller, in state: RoomState) throws(CircleError) -> Int64? {
        guard let clientID = command.clientID, state.mayHaveForgotten(clientID, of: caller.account) else {
            return nil
        }
        do {
            return try store.eventSeq(room: id, actor: caller.account, clientID: clientID)
        } catch {
            throw CircleError(.storageUnavailable, "The server could not check whether that message was sent before.")
        }
    }

    /// After events about a round are out: reset its clock, and move on at once from a member
    /// whose turn began while they were away.
    /// Carries out the round's effects of a committed decision; the hub carries out the
    /// subscription ones as it publishes.
    private func follow(_ effects: [Effect]) {
        var rearm = false
        for effect in effects {
            switch effect {
            case .moveOnIfAway(let member):
                if !hub.isOnline(member) {
                    execute(.away(member: member), by: Self.server, at: clock.now()) { _ in }
                }
            case .rearmRoundTimer: rearm = true
            case .unsubscribe, .receiveAs, .readmit: break
            }
        }
        if rearm { scheduleRoundTimer() }
    }
}
