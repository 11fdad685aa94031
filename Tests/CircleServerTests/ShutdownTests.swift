import CircleClient
import CircleCore
import CircleProtocol
import CircleTestSupport
import Foundation
import Synchronization
import Testing

@Suite struct ShutdownTests {
    @Test func shutdownTellsClientsCommitsEverythingAndReturns() async throws {
        let folder = try TemporaryFolder()
        let server = try await TestServer.start(folder: folder)
        let scenario = try await RoomScenario.start(on: server)
        try await scenario.join(scenario.facilitator)
        // Requests in flight when shutdown begins are either committed and answered, or
        // refused; nothing answered may go missing.
        let answered = Atomic<Int>(0)
        let sender = Task { () -> [Int64] in
            var acknowledged: [Int64] = []
            for index in 0..<500 {
                do {
                    acknowledged.append(try await scenario.say(scenario.facilitator, "in flight \(index)").seq)
                    answered.add(1, ordering: .relaxed)
                } catch {
                    break
                }
            }
            return acknowledged
        }
        // Shutdown begins once messages are flowing, however fast this machine answers them.
        while answered.load(ordering: .relaxed) < 20 { try await Task.sleep(for: .milliseconds(1)) }
        try await server.stop()
        let acknowledged = await sender.value
        try await scenario.facilitator.waitUntil {
            $0.frames.contains { if case .bye = $0 { return true } else { return false } }
        }
        await scenario.facilitator.close()

        let store = try CircleStoreReader(folder: folder)
        let stored = try store.seqs(room: scenario.room)
        #expect(Set(acknowledged).isSubset(of: Set(stored)))
    }
}
