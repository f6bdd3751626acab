import Benchmark
import LogFormat
import Merkle

/// Leaf hashing: one operation is one RFC 6962 leaf hash of a ~1 KB certificate entry.
func hashingBenchmarks() {
    Benchmark("Hash.leaf (1 KB leaf input)", configuration: MicroMetrics.fast()) { benchmark, sample in
        for _ in benchmark.scaledIterations {
            blackHole(Hash.leaf(sample.leafInput))
        }
    } setup: {
        SampleEntry()
    }

    Benchmark("MerkleTreeLeaf(entry:).leafHash (1 KB cert)", configuration: MicroMetrics.fast()) { benchmark, sample in
        for _ in benchmark.scaledIterations {
            blackHole(MerkleTreeLeaf(entry: sample.timestamped).leafHash)
        }
    } setup: {
        SampleEntry()
    }

    Benchmark("Hash.node", configuration: MicroMetrics.fast()) { benchmark, hashes in
        for _ in benchmark.scaledIterations {
            blackHole(Hash.node(hashes.0, hashes.1))
        }
    } setup: {
        (Hash.leaf([1]), Hash.leaf([2]))
    }
}
