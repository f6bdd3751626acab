import Benchmark

/// Vigil's hot paths, one group per file. Inputs are built once per benchmark in its `setup`
/// closure, outside the measured loop; each group's file says what a single operation is.
///
/// Run with `swift package --package-path tools/microbench benchmark` (see tools/microbench/README.md).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: MicroMetrics.standard,
        warmupIterations: 3,
        maxDuration: .seconds(1),
        maxIterations: 100_000)

    // What the harness itself costs per iteration: subtract it from the slow benchmarks' numbers.
    Benchmark("Noop (harness baseline)", configuration: MicroMetrics.slow()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(0)
        }
    }

    hashingBenchmarks()
    treeBenchmarks()
    proofBenchmarks()
    signingBenchmarks()
    chainBenchmarks()
    encodingBenchmarks()
}

/// The metrics every benchmark reports.
enum MicroMetrics {
    /// Time per operation, heap allocations per operation, operations per second.
    ///
    /// `.cpuTotal` is left out on purpose: on Linux the benchmark package reads it from
    /// /proc/self/stat in 10 ms clock ticks, so an iteration shorter than that reports 0 or 10 ms.
    static let standard: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .throughput]

    /// The configuration of a benchmark whose operation takes under a few microseconds:
    /// 1000 operations per measured iteration, every metric reported per operation.
    static func fast(maxIterations: Int = 2_000) -> Benchmark.Configuration {
        .init(metrics: standard, warmupIterations: 3, scalingFactor: .kilo, maxDuration: .seconds(1),
              maxIterations: maxIterations)
    }

    /// The configuration of a benchmark whose operation takes tens of microseconds or more.
    static func slow(maxIterations: Int = 10_000) -> Benchmark.Configuration {
        .init(metrics: standard, warmupIterations: 3, scalingFactor: .one, maxDuration: .seconds(1),
              maxIterations: maxIterations)
    }
}
