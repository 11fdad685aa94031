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
}
