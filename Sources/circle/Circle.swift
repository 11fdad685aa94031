import ArgumentParser

/// `circle`: the Circle client, for participants and facilitators.
@main
struct Circle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circle",
        abstract: "Take part in, or facilitate, a Circle group.",
        subcommands: [
            ChatCommand.self, RoomGroup.self, InviteGroup.self, JoinCommand.self, SessionGroup.self, SayCommand.self,
            HistoryCommand.self, AgreementsGroup.self, AuditCommand.self, ScriptCommand.self, LoginCommand.self,
            ArchiveGroup.self,
        ],
        defaultSubcommand: ChatCommand.self
    )

    /// The options every subcommand takes, which people type before the subcommand as they do
    /// with git or ssh (`circle --server HOST:PORT room create NAME`).
    static let globalOptions: Set<String> = ["--server", "--ca-file", "--token"]

    static func main() async {
        do {
            var command = try parseAsRoot(Self.globalOptionsMoved(Array(CommandLine.arguments.dropFirst())))
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// The arguments with global options that come before a subcommand moved to just after its
    /// name, where the parser reads them (not to the end, where a command that takes the rest
    /// of the line as text would swallow them). Anything else is left as typed.
    static func globalOptionsMoved(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let word = rest.first {
            let name = String(word.prefix { $0 != "=" })
            guard globalOptions.contains(name) else { break }
            leading.append(word)
            rest = rest.dropFirst()
            if !word.contains("="), let value = rest.first {
                leading.append(value)
                rest = rest.dropFirst()
            }
        }
        guard !leading.isEmpty else { return arguments }
        var command: any ParsableCommand.Type = Circle.self
        var path: [String] = []
        while let word = rest.first,
            let sub = command.configuration.subcommands.first(where: { $0._commandName == word })
        {
            path.append(word)
            rest = rest.dropFirst()
            command = sub
        }
        guard !path.isEmpty else { return arguments }
        return path + leading + rest
    }
}
