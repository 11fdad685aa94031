import Foundation

/// The lines a person typed in the chat, kept across restarts beside the credentials
/// (`history.json`, mode 0600), newest last. Invite codes given to `/redeem` are never kept.
public enum InputHistory {
    /// How many lines are kept.
    public static let limit = 500

    public static func file(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        Credentials.file(environment: environment).deletingLastPathComponent().appendingPathComponent("history.json")
    }

    /// The saved lines; none when the file is missing or unreadable, since a lost history must
    /// never stop anyone from reaching their group.
    public static func load(from url: URL) -> [String] {
        guard let data = try? Data(contentsOf: url), let lines = try? JSONDecoder().decode([String].self, from: data)
        else { return [] }
        return Array(lines.suffix(limit))
    }

    public static func save(_ lines: [String], to url: URL) throws {
        let kept = lines.filter { !$0.lowercased().hasPrefix("/redeem") }.suffix(limit)
        try PrivateFile.write(try JSONEncoder().encode(Array(kept)), to: url)
    }
}

/// How far this person had read in each room when the chat last closed (`seen.json` beside the
/// credentials, mode 0600), so the next run can mark what is new since.
public enum ReadMarks {
    public static func file(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        Credentials.file(environment: environment).deletingLastPathComponent().appendingPathComponent("seen.json")
    }

    /// The marks by room id; none when the file is missing or unreadable (a lost mark only
    /// loses the line that says where the new part starts).
    public static func load(from url: URL) -> [String: Int64] {
        guard let data = try? Data(contentsOf: url) else { return [:] }
        return (try? JSONDecoder().decode([String: Int64].self, from: data)) ?? [:]
    }

    /// Writes `marks` over the earlier ones, keeping the marks of rooms not in them.
    public static func save(_ marks: [String: Int64], to url: URL) throws {
        let merged = load(from: url).merging(marks) { $1 }
        try PrivateFile.write(try JSONEncoder().encode(merged), to: url)
    }
}
