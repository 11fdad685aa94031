import ArgumentParser
import Foundation
import Yams

/// The operator's settings, from three places, strongest first: a flag (`--max-members 9`),
/// an environment variable (`CIRCLE_MAX_MEMBERS=9`), a key of the configuration file
/// (`max-members: 9`). One name per setting in all three, so what the documentation says
/// about one holds for the others.
struct Settings {
    /// Every setting `circled` reads, in the order of ops/circled.yaml.
    static let names = [
        "listen", "data", "tls-certificate", "tls-key", "metrics-listen", "irc-listen",
        "retention-days", "log-level",
        "durability", "crisis-text", "risk-phrases", "instruments", "max-members", "requests-per-second",
        "max-connections-per-ip", "idle-logoff-minutes", "auth-timeout-seconds", "max-frame-bytes",
        "slow-reader-bytes", "event-loops",
    ]

    private struct Layer {
        var values: [String: String]
        var origin: (String) -> String
    }

    private let layers: [Layer]

    init(flags: [String: String], environment: [String: String], file: (path: String, text: String)?) throws {
        var layers = [Layer(values: flags, origin: { "--\($0)" })]
        var fromEnvironment: [String: String] = [:]
        for name in Self.names {
            if let value = environment[Self.variable(name)] { fromEnvironment[name] = value }
        }
        layers.append(Layer(values: fromEnvironment, origin: { Self.variable($0) }))
        if let file {
            let path = file.path
            layers.append(Layer(values: try Self.parse(file.text, path: path), origin: { "\(path): \($0)" }))
        }
        self.layers = layers
    }

    /// Reads the file named by `--config` or CIRCLE_CONFIG, if either is given.
    init(flags: [String: String], config: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws
    {
        var file: (String, String)?
        if let path = config ?? environment["CIRCLE_CONFIG"] {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else {
                throw ValidationError("The configuration file \(path) could not be read.")
            }
            file = (path, text)
        }
        try self.init(flags: flags, environment: environment, file: file)
    }

    static func variable(_ name: String) -> String {
        "CIRCLE_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The file's settings: one mapping of known names to plain values. An unknown name is an
    /// error rather than ignored, so a misspelt limit does not silently keep its default.
    static func parse(_ text: String, path: String) throws -> [String: String] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ValidationError("\(path) is not valid YAML: \(error)")
        }
        guard let root else { return [:] }
        guard let mapping = root.mapping else {
            throw ValidationError("\(path) must be a list of 'name: value' lines.")
        }
        var values: [String: String] = [:]
        for (key, value) in mapping {
            let line = key.mark.map { " (line \($0.line))" } ?? ""
            guard let name = key.string, names.contains(name) else {
                throw ValidationError(
                    "\(path): unknown setting '\(key.string ?? "?")'\(line); the settings are: "
                        + names.joined(separator: ", ") + ".")
            }
            guard let scalar = value.scalar else {
                throw ValidationError("\(path): \(name)\(line) must be a single value.")
            }
            if value.null == nil { values[name] = scalar.string }
        }
        return values
    }

    /// The value of a setting and where it came from, for error messages.
    func value(_ name: String) -> (value: String, origin: String)? {
        precondition(Self.names.contains(name), "unknown setting \(name)")
        for layer in layers {
            if let value = layer.values[name] { return (value, layer.origin(name)) }
        }
        return nil
    }

    func string(_ name: String) -> String? {
        value(name)?.value
    }

    func string(_ name: String, default fallback: String) -> String {
        string(name) ?? fallback
    }

    func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        try optionalInt(name, in: range) ?? fallback
    }

    func optionalInt(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let (text, origin) = value(name) else { return nil }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw ValidationError("\(origin) must be a whole number from \(Self.describe(range)); got '\(text)'.")
        }
        return number
    }

    func double(_ name: String, default fallback: Double, atLeast minimum: Double) throws -> Double {
        guard let (text, origin) = value(name) else { return fallback }
        guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite, number >= minimum
        else {
            throw ValidationError("\(origin) must be a number of at least \(minimum); got '\(text)'.")
        }
        return number
    }

    /// A value from a fixed list, the error naming them all.
    func choice<T>(_ name: String, default fallback: T, _ make: (String) -> T?, choices: String) throws -> T {
        guard let (text, origin) = value(name) else { return fallback }
        guard let chosen = make(text) else { throw ValidationError("\(origin) must be \(choices); got '\(text)'.") }
        return chosen
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "\(range.lowerBound) up" : "\(range.lowerBound) to \(range.upperBound)"
    }
}
