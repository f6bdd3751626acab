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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Layer 0: system libraries.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLevelDB", providers: [.apt(["libleveldb-dev"])]),

        // Layer 1: the only Swift code that calls C.
        .target(name: "PKI", dependencies: ["COpenSSL"], swiftSettings: swift6),
        .target(name: "LevelDB", dependencies: ["CLevelDB"], swiftSettings: swift6),

        // Layer 2: pure wire formats and maths.
        .target(name: "Merkle", dependencies: ["PKI"], swiftSettings: swift6),
        .target(name: "LogFormat", dependencies: ["Merkle", "PKI"], swiftSettings: swift6),

        // Layer 3: the log.
        .target(name: "LogCore", dependencies: ["LogFormat", "Merkle", "PKI"], swiftSettings: swift6),
        .target(
            name: "LogStorage",
            dependencies: ["LogCore", "LevelDB", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swift6),

        // Tests.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swift6),
        .testTarget(name: "PKITests", dependencies: ["PKI", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "MerkleTests", dependencies: ["Merkle", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "LogFormatTests", dependencies: ["LogFormat", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "LogCoreTests", dependencies: ["LogCore", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "LogStorageTests", dependencies: ["LogStorage", "LevelDB", "TestSupport"], swiftSettings: swift6),
    ]
)
