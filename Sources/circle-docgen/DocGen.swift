import CircleCore
import Foundation

/// Writes the permission reference of docs/PROTOCOL.md from the command table itself, between
/// its markers; with `--check`, only says whether the committed text is current (for CI).
@main
struct DocGen {
    static let begin = "<!-- command-reference:begin (generated from CommandTable; do not edit) -->"
    static let end = "<!-- command-reference:end -->"

    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let path = arguments.first(where: { !$0.hasPrefix("--") }) else {
            FileHandle.standardError.write(Data("usage: circle-docgen FILE [--check]\n".utf8))
            exit(2)
        }
        let check = arguments.contains("--check")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let start = text.range(of: begin), let stop = text.range(of: end), start.upperBound <= stop.lowerBound
        else {
            FileHandle.standardError.write(Data("\(path) has no command-reference markers\n".utf8))
            exit(1)
        }
        let updated = text[..<start.upperBound] + "\n" + reference() + text[stop.lowerBound...]
        if check {
            guard updated == text else {
                FileHandle.standardError.write(
                    Data(
                        """
                        \(path): the command reference is stale; run
                          swift package --allow-writing-to-package-directory command-reference

                        """.utf8))
                exit(1)
            }
            print("\(path): the command reference is current")
        } else if updated != text {
            try String(updated).write(toFile: path, atomically: true, encoding: .utf8)
            print("\(path): command reference updated")
        } else {
            print("\(path): command reference already current")
        }
    }

    /// One row per operation, in the table's order of names, saying who may run it.
    static func reference() -> String {
        var lines = ["| op | who may run it |", "| --- | --- |"]
        for command in CommandName.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
            lines.append("| `\(command.rawValue)` | \(describe(CommandTable.rules[command])) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func describe(_ rule: CommandTable.Rule?) -> String {
        switch rule {
        case nil: return "nobody (not in the table)"
        case .anyone: return "anyone"
        case .account(let kinds):
            return kinds.count == AccountKind.allCases.count
                ? "any signed-in account" : kinds.map(\.rawValue).sorted().joined(separator: ", ") + " accounts"
        case .room(let roles) where roles.isEmpty:
            return "nobody: the server's own"
        case .room(let roles):
            let order = RoomRole.allCases.filter(roles.contains).map(\.rawValue)
            return roles.count == RoomRole.allCases.count ? "every member of the room" : order.joined(separator: ", ")
        }
    }
}
