// swift-tools-version: 6.1
import PackageDescription

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PKI", targets: ["PKI"]),
        .library(name: "Merkle", targets: ["Merkle"]),
        .library(name: "LogFormat", targets: ["LogFormat"]),
        .library(name: "LogClient", targets: ["LogClient"]),
        .library(name: "Endorsement", targets: ["Endorsement"]),
        .library(name: "LogCore", targets: ["LogCore"]),
        .library(name: "LogStorage", targets: ["LogStorage"]),
        .executable(name: "vigil-log", targets: ["vigil-log"]),
        .executable(name: "vigil", targets: ["vigil"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Layer 0: system libraries.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLevelDB", providers: [.apt(["libleveldb-dev"])]),
        // LevelDB's environment with table files read by pread(2), in C++ because the C API
        // can only hand over an environment someone built.
        .target(name: "CLevelDBEnv", dependencies: ["CLevelDB"]),

        // Layer 1: the only Swift code that calls C.
        .target(name: "PKI", dependencies: ["COpenSSL"], swiftSettings: swift6),
        .target(name: "LevelDB", dependencies: ["CLevelDB", "CLevelDBEnv"], swiftSettings: swift6),

        // Layer 2: pure wire formats and maths.
        .target(name: "Merkle", dependencies: ["PKI"], swiftSettings: swift6),
        .target(name: "LogFormat", dependencies: ["Merkle", "PKI"], swiftSettings: swift6),
        .target(
            name: "Endorsement",
            dependencies: ["LogFormat", "PKI", .product(name: "Yams", package: "Yams")],
            swiftSettings: swift6),

        // Layer 3: the log.
        .target(
            name: "LogCore",
            dependencies: [
                "Endorsement", "LogFormat", "Merkle", "PKI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swift6),
        .target(
            name: "LogStorage",
            dependencies: ["LogCore", "LevelDB", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swift6),

        .target(
            name: "LogHTTP",
            dependencies: [
                "Endorsement", "LogCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            swiftSettings: swift6),
        .target(
            name: "LogClient",
            dependencies: [
                "Endorsement", "LogFormat", "Merkle", "PKI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swift6),

        // The server's assembly: a config file (or flags) to logs, routes and services.
        .target(
            name: "LogServer",
            dependencies: [
                "Endorsement", "LogCore", "LogHTTP", "LogStorage", "PKI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swift6),

        // Layer 4: binaries.
        .executableTarget(
            name: "vigil-log",
            dependencies: [
                "Endorsement", "LogFormat", "PKI", "LogHTTP", "LogServer", "LogStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swift6),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "Endorsement", "LogClient", "LogFormat", "Merkle", "PKI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swift6),

        // Tests.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swift6),
        .testTarget(name: "PKITests", dependencies: ["PKI", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "MerkleTests", dependencies: ["Merkle", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "LogFormatTests", dependencies: ["LogFormat", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "EndorsementTests", dependencies: ["Endorsement", "LogFormat", "PKI", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "LogCoreTests", dependencies: ["LogCore", "TestSupport"], swiftSettings: swift6),
        .testTarget(
            name: "LogHTTPTests",
            dependencies: [
                "LogHTTP", "LogCore", "LogFormat", "PKI", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swift6),
        .testTarget(
            name: "LogServerTests",
            dependencies: [
                "LogServer", "LogCore", "LogHTTP", "LogFormat", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swift6),
        .testTarget(
            name: "LogClientTests",
            dependencies: [
                "LogClient", "LogHTTP", "LogCore", "LogFormat", "Merkle", "PKI", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swift6),
        .testTarget(name: "LogStorageTests", dependencies: ["LogStorage", "LevelDB", "TestSupport"], swiftSettings: swift6),
    ],
    cxxLanguageStandard: .cxx17
)
