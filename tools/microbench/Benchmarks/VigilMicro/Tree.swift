import Benchmark
import Merkle

/// Tile updates: one operation appends one batch to a copy of a ~1M-leaf tree and returns the
/// changed tiles, exactly what `Sequencer` does per batch (`var next = appender; next.append(...)`).
func treeBenchmarks() {
    for batchSize in [256, 4096] {
        Benchmark("TreeAppender.append \(batchSize) onto 1M", configuration: MicroMetrics.slow()) { benchmark, fixture in
            for _ in benchmark.scaledIterations {
                var tree = fixture.base
                blackHole(tree.append(fixture.batch))
                blackHole(tree.rootHash())
            }
        } setup: {
            try AppendFixture(batchSize: batchSize)
        }
    }
}

/// Proof generation from tiles: one operation plans the tiles a proof reads and computes the
/// proof from an in-memory tile map, as the read path does once the tiles are fetched.
func proofBenchmarks() {
    Benchmark("TiledProofs.inclusionProof (10M)", configuration: MicroMetrics.slow()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            let index = fixture.indices[benchmark.currentIteration % fixture.indices.count]
            do {
                blackHole(try TiledProofs.tilesForInclusion(index: index, treeSize: ProofFixture.treeSize))
                blackHole(try TiledProofs.inclusionProof(index: index, treeSize: ProofFixture.treeSize, tiles: fixture.tiles))
            } catch {
                benchmark.error("inclusion proof of \(index): \(error)")
            }
        }
    } setup: {
        try ProofFixture()
    }

    // What a get-proof-by-hash computes once its tiles are read: the level-0 tiles' stored inner
    // nodes stand in for most of their hashing, and the tree's subtree cache is warm.
    Benchmark("TiledProofs.inclusionProof (10M, inner nodes, warm cache)", configuration: MicroMetrics.slow()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            let index = fixture.indices[benchmark.currentIteration % fixture.indices.count]
            do {
                blackHole(try TiledProofs.tilesForInclusion(index: index, treeSize: ProofFixture.treeSize))
                blackHole(try TiledProofs.inclusionProof(index: index, treeSize: ProofFixture.treeSize, tiles: fixture.tiles,
                                                         cache: fixture.cache, innerNodes: fixture.innerNodes))
            } catch {
                benchmark.error("inclusion proof of \(index): \(error)")
            }
        }
    } setup: {
        try ProofFixture()
    }

    Benchmark("TiledProofs.consistencyProof (10M)", configuration: MicroMetrics.slow()) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            let oldSize = fixture.oldSizes[benchmark.currentIteration % fixture.oldSizes.count]
            do {
                blackHole(try TiledProofs.tilesForConsistency(oldSize: oldSize, newSize: ProofFixture.treeSize))
                blackHole(try TiledProofs.consistencyProof(oldSize: oldSize, newSize: ProofFixture.treeSize, tiles: fixture.tiles))
            } catch {
                benchmark.error("consistency proof from \(oldSize): \(error)")
            }
        }
    } setup: {
        try ProofFixture()
    }
}
