import CircleClient
import CircleCore
import CircleProtocol
import CircleTestSupport
import Foundation
import Testing

@testable import CircleServer
@testable import circled

/// TLS on the listener with the test CA of Tests/Fixtures/tls: members talk through it, and
/// a client refuses any server its CA did not sign.
@Suite struct TLSTests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/tls/\(name)").path
    }

    static func tlsServer() async throws -> TestServer {
        let settings = try Settings(
            flags: ["tls-certificate": fixture("server.pem"), "tls-key": fixture("server-key.pem")],
            environment: [:], file: nil)
        let tls = try Serve.tls(settings)
        return try await TestServer.start { $0.tls = tls }
    }

    @Test func membersTalkOverTLSCheckedAgainstTheClinicsCA() async throws {
        let server = try await Self.tlsServer()
        let token = try server.addFacilitator()
        let tls = try ClientTLS(caFile: Self.fixture("ca.pem"))
        // By IP address (checked against the certificate's IP names) and by host name.
        for host in ["127.0.0.1", "localhost"] {
            let (connection, hello) = try await CircleConnection.connect(
                host: host, port: server.port, token: token, tls: tls)
            #expect(hello.account != nil)
            let room: Reply.RoomCreated = try await connection.request(.roomCreate(.init(name: "Over TLS")))
            let _: Reply.Appended = try await connection.request(.sessionOpen(.init(room: room.room)))
            let said: Reply.Appended = try await connection.request(
                .say(.init(room: room.room, text: "Nobody on the wire reads this.", cid: nil)))
            #expect(said.seq > 0)
            await connection.close()
        }
        try await server.stop()
    }

    @Test func aServerSignedBySomeoneElseIsRefusedBeforeAnythingIsSent() async throws {
        let server = try await Self.tlsServer()
        let token = try server.addFacilitator()
        for tls in [try ClientTLS(caFile: Self.fixture("other-ca.pem")), try ClientTLS()] {
            await #expect {
                _ = try await CircleConnection.connect(host: "127.0.0.1", port: server.port, token: token, tls: tls)
            } throws: { error in
                guard case ClientError.insecure(let sentence) = error else { return false }
                return sentence.hasPrefix("The server's certificate is not trusted for 127.0.0.1; pass --ca-file")
                    && !sentence.contains("SSL") && !sentence.contains("\n")
            }
        }
        try await server.stop()
    }

    @Test func aServerThatCannotBeReachedIsSaidInWords() async throws {
        let server = try await TestServer.start()
        let port = server.port
        try await server.stop()
        await #expect {
            _ = try await CircleConnection.connect(host: "127.0.0.1", port: port)
        } throws: { error in
            "\(error)" == "Could not reach the server: 127.0.0.1:\(port): nothing is listening there."
        }
    }

    @Test func plainAndTLSDoNotMix() async throws {
        let secure = try await Self.tlsServer()
        await #expect(throws: ClientError.self) {
            _ = try await CircleConnection.connect(host: "127.0.0.1", port: secure.port)
        }
        try await secure.stop()

        let plain = try await TestServer.start()
        await #expect {
            _ = try await CircleConnection.connect(
                host: "127.0.0.1", port: plain.port, tls: try ClientTLS(caFile: Self.fixture("ca.pem")))
        } throws: { error in
            guard case ClientError.insecure(let sentence) = error else { return false }
            return sentence.hasPrefix("The server at 127.0.0.1 did not answer in TLS")
        }
        try await plain.stop()
    }

    @Test func theCertificateAndKeyComeTogetherOrNotAtAll() throws {
        let onlyOne = try Settings(flags: ["tls-key": Self.fixture("server-key.pem")], environment: [:], file: nil)
        #expect(throws: (any Error).self) { try Serve.tls(onlyOne) }
        let swapped = try Settings(
            flags: ["tls-certificate": Self.fixture("server-key.pem"), "tls-key": Self.fixture("server.pem")],
            environment: [:], file: nil)
        do {
            _ = try Serve.tls(swapped)
            Issue.record("a key given as the certificate was accepted")
        } catch {
            #expect("\(error)".contains("--tls-certificate"))
        }
    }

    @Test func plainTextIsWarnedAboutOnlyOffLoopback() {
        var configuration = ServerConfiguration()
        for host in ["127.0.0.1", "::1", "localhost"] {
            configuration.host = host
            #expect(!CircleServer.isPlainOnNetwork(configuration))
        }
        configuration.host = "0.0.0.0"
        #expect(CircleServer.isPlainOnNetwork(configuration))
    }

    @Test func theCommandLineClientSpeaksTLS() async throws {
        let server = try await Self.tlsServer()
        let token = try server.addFacilitator()
        let circle = try Executable("circle")
        let home = try TemporaryFolder()
        var environment = [
            "XDG_CONFIG_HOME": home.path, "CIRCLE_SERVER": "tls://127.0.0.1:\(server.port)", "CIRCLE_TOKEN": token,
        ]
        let refused = try await circle.run(["room", "create", "Over TLS"], environment: environment)
        #expect(refused.status == 1 && refused.stderr.contains("certificate is not trusted"), "\(refused.stderr)")
        environment["CIRCLE_CA_FILE"] = Self.fixture("ca.pem")
        let created = try await circle.run(["room", "create", "Over TLS"], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")

        // Signed in once with the CA file, later commands find the server, token and CA saved.
        let login = try await circle.run(
            ["login", token, "--server", "tls://127.0.0.1:\(server.port)", "--ca-file", Self.fixture("ca.pem")],
            environment: ["XDG_CONFIG_HOME": home.path])
        #expect(login.status == 0, "\(login.stderr)")
        let listed = try await circle.run(["room", "list"], environment: ["XDG_CONFIG_HOME": home.path])
        #expect(listed.status == 0 && listed.stdout.contains("Over TLS"), "\(listed.stderr)")
        try await server.stop()
    }
}
