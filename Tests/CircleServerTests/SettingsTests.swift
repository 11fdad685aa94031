import CircleServer
import Foundation
import NIOCore
import Testing

@testable import circled

/// circled's settings: one name in flags, environment and circled.yaml, flags strongest, every
/// bad value named by where it came from.
@Suite struct SettingsTests {
    static let opsFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ops/circled.yaml").path

    @Test func aFlagBeatsTheEnvironmentWhichBeatsTheFile() throws {
        let file = (path: "circled.yaml", text: "max-members: 9\nrequests-per-second: 4\nidle-logoff-minutes: 30\n")
        let settings = try Settings(
            flags: ["max-members": "7"], environment: ["CIRCLE_MAX_MEMBERS": "8", "CIRCLE_REQUESTS_PER_SECOND": "5"],
            file: file)
        let configuration = try Serve.configuration(from: settings)
        #expect(configuration.maxMembersPerRoom == 7)
        #expect(configuration.requestsPerSecond == 5)
        #expect(configuration.idleLogoffSeconds == 30 * 60)
        #expect(configuration.authTimeoutSeconds == 10)
    }

    @Test func theShippedFileHoldsTheDefaults() throws {
        let text = try String(contentsOfFile: Self.opsFile, encoding: .utf8)
        let values = try Settings.parse(text, path: Self.opsFile)
        // Every setting is in the file, set or commented out, and described above itself.
        for name in Settings.names {
            #expect(text.contains("\n\(name): ") || text.contains("\n# \(name): "), "\(name) missing")
        }
        let settings = try Settings(flags: [:], environment: [:], file: (Self.opsFile, text))
        let fromFile = try Serve.configuration(from: settings)
        let defaults = ServerConfiguration()
        #expect(values["data"] == "/var/lib/circle")
        #expect(fromFile.host == defaults.host && fromFile.port == defaults.port)
        #expect(fromFile.maxMembersPerRoom == defaults.maxMembersPerRoom)
        #expect(fromFile.requestsPerSecond == defaults.requestsPerSecond)
        #expect(fromFile.requestBurst == defaults.requestBurst)
        #expect(fromFile.maxConnectionsPerIP == defaults.maxConnectionsPerIP)
        #expect(fromFile.idleLogoffSeconds == defaults.idleLogoffSeconds)
        #expect(fromFile.authTimeoutSeconds == defaults.authTimeoutSeconds)
        #expect(fromFile.maxFrameSize == defaults.maxFrameSize)
        #expect(fromFile.outboundLimit == defaults.outboundLimit)
        #expect(fromFile.retentionDays == nil && fromFile.tls == nil && fromFile.metrics == nil)
        #expect(values["log-level"] == "info" && values["durability"] == "full")
    }

    @Test func everySettingIsAFlagOfServe() {
        let help = Serve.helpMessage(columns: 200)
        for name in Settings.names {
            #expect(help.contains("--\(name) "), "--\(name) missing")
        }
    }

    @Test func aMisspeltSettingIsAnErrorNotADefault() {
        #expect {
            _ = try Settings.parse("max-member: 9\n", path: "/etc/circle/circled.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("unknown setting 'max-member'") && text.contains("line 1")
        }
        #expect(throws: (any Error).self) { _ = try Settings.parse("limits:\n  max-members: 9\n", path: "c.yaml") }
        #expect(throws: (any Error).self) { _ = try Settings.parse("- listen\n", path: "c.yaml") }
        #expect(throws: (any Error).self) { _ = try Settings.parse("listen: [\n", path: "c.yaml") }
    }

    @Test func aBadValueNamesWhereItCameFrom() throws {
        let cases: [(Settings, String)] = [
            (try Settings(flags: ["max-members": "many"], environment: [:], file: nil), "--max-members"),
            (try Settings(flags: [:], environment: ["CIRCLE_MAX_MEMBERS": "1"], file: nil), "CIRCLE_MAX_MEMBERS"),
            (try Settings(flags: [:], environment: [:], file: ("c.yaml", "listen: nowhere\n")), "c.yaml: listen"),
            (try Settings(flags: [:], environment: [:], file: ("c.yaml", "requests-per-second: -1\n")), "c.yaml"),
            (
                try Settings(flags: ["metrics-listen": "0.0.0.0:9420"], environment: [:], file: nil),
                "--metrics-listen must be a loopback address"
            ),
        ]
        for (settings, named) in cases {
            #expect {
                _ = try Serve.configuration(from: settings)
            } throws: { error in
                "\(error)".contains(named)
            }
        }
        let level = try Settings(flags: [:], environment: ["CIRCLE_LOG_LEVEL": "loud"], file: nil)
        #expect(throws: (any Error).self) {
            _ = try level.choice("log-level", default: 0, { _ in nil as Int? }, choices: "x")
        }
    }

    @Test func anEmptySettingInTheFileIsUnset() throws {
        let settings = try Settings(
            flags: [:], environment: [:], file: ("c.yaml", "retention-days:\nmax-members: 9\n"))
        let configuration = try Serve.configuration(from: settings)
        #expect(configuration.retentionDays == nil && configuration.maxMembersPerRoom == 9)
    }

    @Test func theEventLoopsAreOnePerCoreUnlessSet() throws {
        let unset = try Settings(flags: [:], environment: [:], file: nil)
        #expect(try Serve.eventLoops(from: unset) == System.coreCount)
        let given = try Settings(flags: [:], environment: ["CIRCLE_EVENT_LOOPS": "3"], file: nil)
        #expect(try Serve.eventLoops(from: given) == 3)
        let none = try Settings(flags: [:], environment: [:], file: ("c.yaml", "event-loops: 0\n"))
        #expect {
            _ = try Serve.eventLoops(from: none)
        } throws: { error in
            "\(error)".contains("c.yaml: event-loops must be a whole number from 1")
        }
    }
}
