import CircleClient
import CircleCore
import CircleProtocol
import Foundation
import Testing

@Suite struct RoleTests {
    @Test func participantsCannotRunFacilitatorCommands() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        let room = scenario.room
        #expect(await sam.refusal(.sessionClose(.init(room: room))) == .forbidden)
        #expect(await sam.refusal(.inviteCreate(.init(room: room))) == .forbidden)
        #expect(await sam.refusal(.roomCreate(.init(name: "My own"))) == .forbidden)
        // What a participant may do still works.
        try await scenario.say(sam, "hello")
        let _: Reply.History = try await sam.request(.history(.init(room: room)))
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func nonMembersCannotReadOrWriteARoom() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let other = try await server.connect(token: try server.addFacilitator("Lee"))
        let room = scenario.room
        #expect(await other.refusal(.join(.init(room: room))) == .notAMember)
        #expect(await other.refusal(.history(.init(room: room))) == .notAMember)
        #expect(await other.refusal(.say(.init(room: room, text: "hi"))) == .notAMember)
        #expect(await other.refusal(.sessionClose(.init(room: room))) == .notAMember)
        await other.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func signedOutConnectionsCanOnlyRedeem() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let anonymous = try await server.connect()
        let room = scenario.room
        #expect(await anonymous.refusal(.say(.init(room: room, text: "hi"))) == .notAuthenticated)
        #expect(await anonymous.refusal(.join(.init(room: room))) == .notAuthenticated)
        #expect(await anonymous.refusal(.roomList) == .notAuthenticated)
        #expect(await anonymous.refusal(.redeem(.init(code: "AAAAA-BBBBB", name: "Sam"))) == .badInvite)
        #expect(await anonymous.refusal(.redeem(.init(code: scenario.code, name: "  "))) == .nameInvalid)
        let _: Reply.Redeemed = try await anonymous.request(.redeem(.init(code: scenario.code, name: "Sam")))
        let _: Reply.Appended = try await anonymous.request(.agreementsAccept(.init(room: room, version: 1)))
        try await scenario.say(anonymous, "now I may speak")
        await anonymous.close()
        await scenario.facilitator.close()
        try await server.stop()
    }

    @Test func aUsedUpInviteIsRefusedAndCreatesNoAccount() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server, uses: 1)
        _ = try await scenario.member("Sam")
        let late = try await server.connect()
        #expect(await late.refusal(.redeem(.init(code: scenario.code, name: "Kim"))) == .inviteUsedUp)
        let accounts = try await server.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts")
        }
        #expect(accounts == 2)
        await late.close()
        await scenario.facilitator.close()
        try await server.stop()
    }
}
