// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "Circle",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "circled", targets: ["circled"]),
        .executable(name: "circle", targets: ["circle"]),
        .executable(name: "checkin-bot", targets: ["checkin-bot"]),
        .library(name: "CircleClient", targets: ["CircleClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // TLS on the listener and in the client.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // The Prometheus endpoint: counters, gauges and histograms of the server.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // circled.yaml, the commented configuration file.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "CircleCore", swiftSettings: strict),
        .target(
            name: "CircleProtocol",
            dependencies: ["CircleCore", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .target(
            name: "CircleStore",
            dependencies: [
                "CircleCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CircleServer",
            dependencies: [
                "CircleCore", "CircleProtocol", "CircleStore", "CircleArchive", "CircleUI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The system's zlib, for gzip archives read and written as streams.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "CircleArchive",
            dependencies: [
                "CircleCore", "CZlib", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        // Everything a person reads or types: wording, the chat screen, slash commands, minutes.
        .target(
            name: "CircleUI", dependencies: ["CircleCore", "CircleProtocol", "CircleArchive"], swiftSettings: strict),
        .target(
            name: "CircleClient",
            dependencies: [
                "CircleCore", "CircleProtocol", "CircleArchive",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "circled",
            dependencies: [
                "CircleServer", "CircleStore", "CircleArchive",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "circle",
            dependencies: [
                "CircleClient", "CircleProtocol", "CircleCore", "CircleUI", "CircleArchive",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "circle-bench",
            dependencies: [
                "CircleServer", "CircleStore", "CircleClient", "CircleProtocol", "CircleCore", "CircleArchive",
                // SQLite's C interface, for the floor under the store (GRDB's own system library).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Writes the permission reference of docs/PROTOCOL.md from the command table.
        .executableTarget(name: "circle-docgen", dependencies: ["CircleCore"], swiftSettings: strict),
        .plugin(
            name: "CommandReference",
            capability: .command(
                intent: .custom(
                    verb: "command-reference", description: "Regenerate the command reference in docs/PROTOCOL.md"),
                permissions: [
                    .writeToPackageDirectory(reason: "It rewrites the command reference in docs/PROTOCOL.md.")
                ]),
            dependencies: ["circle-docgen"], path: "plugins/CommandReference"),
        // One fuzz input through the frame decoder and the request parser.
        .target(
            name: "CircleFuzzing",
            dependencies: ["CircleProtocol", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict),
        // Replays Fuzz/corpus and fixed-seed mutations of it (CI runs it).
        .executableTarget(name: "circle-fuzz", dependencies: ["CircleFuzzing"], swiftSettings: strict),
        // libFuzzer's target (Fuzz/libfuzz.sh builds it with -sanitize=fuzzer; CI runs it briefly).
        .executableTarget(name: "circle-libfuzz", dependencies: ["CircleFuzzing"]),
        // examples/: a member built on the client library, used by examples/demo/run.sh.
        .executableTarget(
            name: "checkin-bot",
            dependencies: [
                "CircleClient", "CircleProtocol", "CircleCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "examples/checkin-bot", exclude: ["README.md"], swiftSettings: strict),
        // Helpers shared by the test targets; never shipped.
        .target(
            name: "CircleTestSupport", dependencies: ["CircleCore", "CircleProtocol"], path: "Tests/CircleTestSupport",
            swiftSettings: strict),
        .testTarget(name: "CircleCoreTests", dependencies: ["CircleCore"], swiftSettings: strict),
        .testTarget(
            name: "CircleArchiveTests", dependencies: ["CircleArchive", "CircleCore", "CircleTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "CircleUITests", dependencies: ["CircleUI", "CircleCore", "CircleProtocol", "CircleClient"],
            swiftSettings: strict),
        .testTarget(
            name: "CircleProtocolTests",
            dependencies: [
                "CircleProtocol", "CircleTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CircleStoreTests",
            dependencies: [
                "CircleStore", "CircleCore", "CircleTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CircleServerTests",
            dependencies: [
                "CircleServer", "CircleClient", "CircleStore", "CircleCore", "CircleProtocol", "CircleTestSupport",
                "CircleArchive", "CircleUI", "circled", "circle", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
