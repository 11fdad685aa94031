import ArgumentParser

/// `circled`: the Circle server and its operator's tools.
@main
struct Circled: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circled",
        abstract: "The Circle server: facilitated group-therapy sessions in text.",
        subcommands: [Serve.self, Admin.self, Audit.self, ArchiveAdmin.self, Backup.self, Restore.self],
        defaultSubcommand: Serve.self
    )
}
