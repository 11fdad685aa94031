import CircleCore
import Foundation

/// The tokens this person has saved, per server, in `$XDG_CONFIG_HOME/circle/credentials.json`
/// (else `~/.config/circle/`), readable by its owner only (mode 0600).
public struct Credentials: Codable, Hashable, Sendable {
    /// One identity on one server.
    public struct Entry: Codable, Hashable, Sendable {
        public var token: String
        public var account: AccountID
        public var name: String
        /// The CA file a tls:// server is checked against, when it is not the system's.
        public var caFile: String?

        enum CodingKeys: String, CodingKey {
            case token, account, name
            case caFile = "ca_file"
        }

        public init(token: String, account: AccountID, name: String, caFile: String? = nil) {
            self.token = token
            self.account = account
            self.name = name
            self.caFile = caFile
        }
    }

    /// The server used when none is named.
    public var defaultServer: String?
    public var servers: [String: Entry] = [:]

    enum CodingKeys: String, CodingKey {
        case defaultServer = "default_server"
        case servers
    }

    public init() {}

    public static func file(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            base = URL(fileURLWithPath: xdg)
        } else {
            base = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        }
        return base.appendingPathComponent("circle").appendingPathComponent("credentials.json")
    }

    /// The saved credentials, or none if the file does not exist yet.
    public static func load(from url: URL) throws -> Credentials {
        guard FileManager.default.fileExists(atPath: url.path) else { return Credentials() }
        do {
            return try JSONDecoder().decode(Credentials.self, from: Data(contentsOf: url))
        } catch {
            throw ClientError.usage(
                "The saved credentials in \(url.path) could not be read: \(error.localizedDescription)")
        }
    }

    /// Writes the file so that no one but its owner can ever read it, not even for a moment.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try PrivateFile.write(try encoder.encode(self), to: url)
    }
}

/// A file in the client's own folder that only its owner may read (mode 0600, in a 0700
/// folder), replaced whole so that a reader never sees half of it.
enum PrivateFile {
    static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Created 0600 from the start: a file made and then narrowed is readable in between.
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard
            FileManager.default.createFile(
                atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600])
        else {
            throw ClientError.usage("Could not write \(temporary.path).")
        }
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw ClientError.usage("Could not save \(url.path): \(String(cString: strerror(errno))).")
        }
    }
}
