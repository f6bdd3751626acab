// swift-tools-version: 6.1
import PackageDescription

// Micro-benchmarks of Vigil's hot paths (ordo-one/benchmark) and `vigil-bench-fill`, which writes a
// large synthetic log straight into a LevelDB store for read-path load tests. Nested so that the root
// package does not depend on the benchmark package; it builds into tools/microbench/.build.
let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "VigilMicrobench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
        // The malloc interposer gives the mallocCount* metrics; jemalloc is not used by this version.
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "VigilMicro",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PKI", package: "main"),
                .product(name: "Merkle", package: "main"),
                .product(name: "LogFormat", package: "main"),
            ],
            path: "Benchmarks/VigilMicro",
            swiftSettings: swift6,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "vigil-bench-fill",
            dependencies: [
                .product(name: "PKI", package: "main"),
                .product(name: "Merkle", package: "main"),
                .product(name: "LogFormat", package: "main"),
                .product(name: "LogCore", package: "main"),
                .product(name: "LogStorage", package: "main"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swift6),
    ]
)
