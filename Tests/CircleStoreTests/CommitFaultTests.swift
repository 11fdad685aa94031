import CircleCore
import CircleTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

@testable import CircleStore

/// What the committer does when a commit fails: one request's bad data costs that request (and
/// its room's later ones) alone, never everyone's writes.
@Suite struct CommitFaultTests {
    static let other = RoomID("r-other")

    static func event(_ room: RoomID, _ seq: Int64, cid: String) throws -> StoreChange {
        let event = Event(
            room: room, seq: seq, session: 1, at: Timestamp(milliseconds: seq), actor: StoreTests.owner.id,
            audience: .room, body: .message(text: "message \(seq)", clientID: cid))
        return .event(event, json: try JSONEncoder().encode(event))
    }

    @Test func aRequestWhoseDataFailsIsRefusedAloneAndTheRestOfItsBatchCommits() async throws {
        let folder = try TemporaryFolder()
        let store = try await StoreTests.seeded(folder, durability: .normal)
        defer { store.close() }
        try await StoreTests.commit(
            store,
            [.room(id: Self.other, name: "Other", owner: StoreTests.owner.id, createdAt: Timestamp(milliseconds: 1))])
        try await StoreTests.commit(store, [try Self.event(StoreTests.room, 1, cid: "a")])
        let faults = Mutex<[CommitFault]>([])
        store.committer.onFault { fault in
            faults.withLock { $0.append(fault) }
            return []
        }

        let requests: [[StoreChange]] = [
            [try Self.event(Self.other, 1, cid: "x")],
            // The same client id again, under a new seq: the unique index refuses it.
            [try Self.event(StoreTests.room, 2, cid: "a")],
            // Decided on top of the refused one: it would leave a gap at 2.
            [try Self.event(StoreTests.room, 3, cid: "b")],
            [try Self.event(Self.other, 2, cid: "y")],
        ]
        let outcomes = await Self.commitTogether(store, requests)
        #expect(outcomes.map { if case .success = $0 { true } else { false } } == [true, false, false, true])
        #expect(try store.lastSeq(room: StoreTests.room) == 1)
        #expect(try store.lastSeq(room: Self.other) == 2)
        let fault = try #require(faults.withLock { $0.first })
        #expect(fault.kind == .request)
        #expect(fault.rooms == [StoreTests.room])
        #expect(fault.refused == 2)
        #expect(fault.cause.contains("UNIQUE"))

        // The committer goes on: the next request is stored as usual.
        try await StoreTests.commit(store, [try Self.event(StoreTests.room, 2, cid: "c")])
        #expect(try store.lastSeq(room: StoreTests.room) == 2)
        #expect(try store.eventSeq(room: StoreTests.room, actor: StoreTests.owner.id, clientID: "c") == 2)
        #expect(try store.eventSeq(room: StoreTests.room, actor: StoreTests.owner.id, clientID: "b") == nil)
    }

    /// A duplicate's answer waits on a barrier of its room: when the original is refused, so
    /// is the duplicate, which must never be told "already stored".
    @Test func aBarrierIsRefusedWithItsRoomsRefusedRequest() async throws {
        let folder = try TemporaryFolder()
        let store = try await StoreTests.seeded(folder, durability: .normal)
        defer { store.close() }
        try await StoreTests.commit(store, [try Self.event(StoreTests.room, 1, cid: "a")])
        let outcomes = await Self.commitTogether(
            store,
            [
                [try Self.event(StoreTests.room, 2, cid: "a")],
                [.barrier(room: StoreTests.room)],
                [.barrier(room: Self.other)],
            ])
        #expect(outcomes.map { if case .success = $0 { true } else { false } } == [false, false, true])
    }

    /// Submits the requests as one batch and waits for every outcome, in submission order.
    static func commitTogether(_ store: Store, _ requests: [[StoreChange]]) async -> [Result<Void, CircleError>] {
        let outcomes = Mutex<[Int: Result<Void, CircleError>]>([:])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            store.committer.submitTogether(
                requests.enumerated().map { index, changes in
                    let completion: GroupCommitter.Completion = { result in
                        let all = outcomes.withLock { outcomes in
                            outcomes[index] = result
                            return outcomes.count == requests.count
                        }
                        if all { done.resume() }
                    }
                    return (changes, completion)
                })
        }
        return outcomes.withLock { outcomes in requests.indices.map { outcomes[$0]! } }
    }
}
