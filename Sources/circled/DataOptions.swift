import ArgumentParser

/// Where the server keeps its data, and the configuration file that may say so; shared by
/// every subcommand that opens the data folder.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data folder, created on first start (default: circle-data).")
    var data: String?

    @Option(name: .long, help: "A configuration file (YAML; see ops/circled.yaml). CIRCLE_CONFIG names one too.")
    var config: String?

    /// The settings, with `flags` (and --data) over the environment over the file.
    func settings(flags: [String: String] = [:]) throws -> Settings {
        var flags = flags
        if let data { flags["data"] = data }
        return try Settings(flags: flags, config: config)
    }

    /// The data folder: --data, CIRCLE_DATA, the file's `data`, or circle-data.
    func folder() throws -> String {
        try settings().string("data", default: "circle-data")
    }
}
