import CircleClient
import CircleCore
import CircleProtocol
import CircleServer
import CircleStore
import Foundation
import Testing

@Suite struct AgreementsGateTests {
    @Test func membersAcceptBeforeSpeakingAndAgainAfterAChange() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let room = scenario.room
        let newcomer = try await server.connect()
        let _: Reply.Redeemed = try await newcomer.request(.redeem(.init(code: scenario.code, name: "Kim")))
        let joined = try await scenario.join(newcomer)
        #expect(joined.agreementsVersion == 1)
        #expect(joined.acceptedVersion == 0)
        #expect(joined.agreements.contains("not legally bound"))
        #expect(await newcomer.refusal(.say(.init(room: room, text: "hello"))) == .agreementsNotAccepted)
        let _: Reply.Appended = try await newcomer.request(.agreementsAccept(.init(room: room, version: 1)))
        try await scenario.say(newcomer, "hello")

        let _: Reply.Appended = try await scenario.facilitator.request(
            .agreementsSet(.init(room: room, text: "We speak kindly. What is said here stays here.")))
        try await newcomer.waitUntil { client in
            client.events.contains { if case .agreementsSet(2, _) = $0.body { return true } else { return false } }
        }
        #expect(await newcomer.refusal(.say(.init(room: room, text: "again"))) == .agreementsNotAccepted)
        #expect(await newcomer.refusal(.agreementsAccept(.init(room: room, version: 1))) == .agreementsChanged)
        let _: Reply.Appended = try await newcomer.request(.agreementsAccept(.init(room: room, version: 2)))
        try await scenario.say(newcomer, "again")
        await newcomer.close()
        await scenario.facilitator.close()
        try await server.stop()
    }
}

@Suite struct HelpSignalTests {
    @Test func onlyFacilitatorsHearAHelpSignal() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        let (kim, _) = try await scenario.member("Kim")
        for client in [scenario.facilitator, sam, kim] { try await scenario.join(client) }
        let signal: Reply.Appended = try await sam.request(
            .helpSignal(.init(room: scenario.room, note: "Can we talk after?")))
        let marker = try await scenario.say(scenario.facilitator, "Let's take a short pause.")
        try await scenario.facilitator.waitForEvent(seq: marker.seq)
        try await kim.waitForEvent(seq: marker.seq)
        #expect(scenario.facilitator.events.contains { $0.seq == signal.seq })
        #expect(!kim.events.contains { $0.seq == signal.seq })
        let history: Reply.History = try await kim.request(.history(.init(room: scenario.room)))
        #expect(!history.events.contains { $0.seq == signal.seq })
        for client in [sam, kim, scenario.facilitator] { await client.close() }
        try await server.stop()
    }
}

@Suite struct RiskPhraseTests {
    @Test func aRiskPhraseAlertsOnlyFacilitatorsAndTheCardReachesOnlyTheSpeaker() async throws {
        let server = try await TestServer.start {
            $0.safety = SafetySettings(crisisText: "Call the clinic line.", riskPhrases: ["hopeless"])
        }
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        let (kim, _) = try await scenario.member("Kim")
        for client in [scenario.facilitator, sam, kim] { try await scenario.join(client) }
        let said = try await scenario.say(sam, "Everything feels hopeless this week.")
        let marker = try await scenario.say(scenario.facilitator, "Thank you for telling us, Sam.")
        for client in [scenario.facilitator, sam, kim] { try await client.waitForEvent(seq: marker.seq) }
        func kinds(_ client: TestClient) -> [String] {
            client.events.filter { $0.seq > said.seq && $0.seq < marker.seq }.map(\.body.kind)
        }
        #expect(kinds(scenario.facilitator) == ["risk_alert"])
        #expect(kinds(sam) == ["crisis_card"])
        #expect(kinds(kim).isEmpty)
        #expect(sam.events.contains { $0.body == .crisisCard(text: "Call the clinic line.") })
        for client in [sam, kim, scenario.facilitator] { await client.close() }
        try await server.stop()
    }
}

@Suite struct MuteTests {
    @Test func aMutedMembersMessageIsRefusedWithTheTimeLeft() async throws {
        let server = try await TestServer.start()
        let scenario = try await RoomScenario.start(on: server)
        let (sam, _) = try await scenario.member("Sam")
        let list: Reply.Rooms = try await sam.request(.roomList)
        #expect(list.rooms.count == 1)
        let joined = try await scenario.join(scenario.facilitator)
        let member = try #require(joined.members.first { $0.name == "Sam" }?.id)
        #expect(
            await sam.refusal(.memberMute(.init(room: scenario.room, member: member, duration: 60, reason: "x")))
                == .forbidden)
        let _: Reply.Appended = try await scenario.facilitator.request(
            .memberMute(.init(room: scenario.room, member: member, duration: 600, reason: "Please pause.")))
        do {
            _ = try await sam.connection.send(.say(.init(room: scenario.room, text: "but")))
            Issue.record("a muted member spoke")
        } catch ClientError.server(let error) {
            #expect(error.code == .muted)
            #expect(error.message.contains("10 min"))
        }
        let _: Reply.Appended = try await scenario.facilitator.request(
            .memberUnmute(.init(room: scenario.room, member: member)))
        try await scenario.say(sam, "thank you")
        let actions = try server.store.auditEntries(room: scenario.room).map(\.record.action)
        #expect(actions.suffix(2) == [.memberMuted, .memberUnmuted])
        await sam.close()
        await scenario.facilitator.close()
        try await server.stop()
    }
}
