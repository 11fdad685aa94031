import ArgumentParser

/// Where the server keeps its data; shared by every subcommand that opens it.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data folder (created on first start).")
    var data = "circle-data"
}
