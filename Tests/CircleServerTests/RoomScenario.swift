import CircleClient
import CircleCore
import CircleProtocol

/// A facilitator with a room, an open session and an invite; members join through the server.
struct RoomScenario {
    let server: TestServer
    let facilitator: TestClient
    let room: RoomID
    let code: String
    let facilitatorToken: String?

    static func start(
        on server: TestServer, uses: Int = 8, openSession: Bool = true
    ) async throws -> RoomScenario {
        let token = try server.addFacilitator()
        let facilitator = try await server.connect(token: token)
        let created: Reply.RoomCreated = try await facilitator.request(.roomCreate(.init(name: "Tuesday group")))
        let invite: Reply.InviteCreated = try await facilitator.request(
            .inviteCreate(.init(room: created.room, uses: uses, expiresIn: 3600)))
        if openSession {
            let _: Reply.Appended = try await facilitator.request(.sessionOpen(.init(room: created.room)))
        }
        return RoomScenario(
            server: server, facilitator: facilitator, room: created.room, code: invite.code, facilitatorToken: token)
    }

    /// A new person redeems the invite on a fresh connection; returns the connection and token.
    func member(_ name: String) async throws -> (TestClient, String) {
        let client = try await server.connect()
        let redeemed: Reply.Redeemed = try await client.request(.redeem(.init(code: code, name: name)))
        guard let token = redeemed.token else { throw ClientError.usage("no token for a new member") }
        let _: Reply.Appended = try await client.request(.agreementsAccept(.init(room: room, version: 1)))
        return (client, token)
    }

    @discardableResult
    func join(_ client: TestClient, since: Int64? = nil) async throws -> Reply.Joined {
        try await client.request(.join(.init(room: room, since: since)))
    }

    @discardableResult
    func say(_ client: TestClient, _ text: String, cid: String? = nil) async throws -> Reply.Appended {
        try await client.request(.say(.init(room: room, text: text, cid: cid)))
    }
}
