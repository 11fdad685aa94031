import ArgumentParser

/// `circle-bench`: measurements that print figures. Targets live here, never in timed tests.
@main
struct CircleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circle-bench",
        abstract: "Benchmarks of a real Circle server over loopback TCP.",
        subcommands: [
            GroupCommitBench.self, FanoutBench.self, IdleBench.self, ResumeStormBench.self, RoundStormBench.self,
            ArchivePrepareBench.self, ArchiveBench.self, LoopbackFloorBench.self, SQLiteFloorBench.self,
            RestartBench.self,
        ]
    )
}
