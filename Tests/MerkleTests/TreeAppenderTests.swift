@testable import Merkle
import Testing
import TestSupport

/// `TreeAppender` returns exactly the tiles each batch changes, complete at the new size; its
/// tiles and root equal those computed from scratch; and it resumes from the right-edge tiles
/// alone as if it had never stopped.
@Suite struct TreeAppenderTests {
    @Test(arguments: [1, 2, 8])
    func randomBatchesKeepTheTilesInStep(height: Int) {
        let layout = TileLayout(height: height)
        // Height-1 tiles have 8 levels at most: trees under 256 leaves.
        let leaves = TestTree.leaves(height == 1 ? 255 : 2_000)
        var random = SeededRandom(seed: 0xa99e + UInt64(height))
        var appender = TreeAppender(layout: layout)
        var stored: [TileID: [Hash]] = [:]
        var before: [TileID: [Hash]] = [:]
        while appender.size < UInt64(leaves.count) {
            let start = Int(appender.size)
            let batch = leaves[start..<min(start + Self.batchSize(&random), leaves.count)]
            let changed = appender.append(Array(batch))
            let size = start + batch.count

            let after = TestTree.tiles(of: leaves.prefix(size), layout: layout)
            let wantChanged = Set(after.keys.filter { after[$0] != before[$0] })
            let extra = Set(changed.keys).subtracting(wantChanged).sorted()
            let missing = wantChanged.subtracting(changed.keys).sorted()
            #expect(extra.isEmpty && missing.isEmpty, "batch \(start)..<\(size) returned \(extra) too many, \(missing) too few")
            let incomplete = changed.keys.filter { changed[$0] != after[$0] }.sorted()
            #expect(incomplete.isEmpty, "batch \(start)..<\(size) returned \(incomplete) with contents unlike at its size")
            stored.merge(changed) { $1 }
            let wrong = TestTree.differences(stored, after)
            #expect(wrong.isEmpty, "stored tiles after batch \(start)..<\(size) differ at \(wrong.prefix(5))")
            #expect(appender.size == UInt64(size))
            #expect(appender.rootHash() == MerkleTree.rootHash(leafHashes: leaves.prefix(size)), "root at size \(size)")
            before = after
        }
    }

    @Test(arguments: [2, 8])
    func resumingFromTheRightEdgeContinuesIdentically(height: Int) throws {
        let layout = TileLayout(height: height)
        let leaves = TestTree.leaves(1_500)
        var random = SeededRandom(seed: 0x7e5 + UInt64(height))
        var batches: [[Hash]] = []
        while batches.joined().count < leaves.count {
            let start = batches.joined().count
            batches.append(Array(leaves[start..<min(start + Self.batchSize(&random), leaves.count)]))
        }

        // The uninterrupted run: what each batch returned, the root and the stored tiles after it.
        var original = TreeAppender(layout: layout)
        var stored: [TileID: [Hash]] = [:]
        var outputs: [[TileID: [Hash]]] = []
        var roots: [Hash] = []
        var snapshots: [[TileID: [Hash]]] = [stored]
        for batch in batches {
            outputs.append(original.append(batch))
            stored.merge(outputs[outputs.count - 1]) { $1 }
            roots.append(original.rootHash())
            snapshots.append(stored)
        }

        for stop in [0, 1, batches.count / 3, batches.count / 2, batches.count - 2] {
            let size = UInt64(batches.prefix(stop).joined().count)
            let needed = TreeAppender.tilesForRestore(treeSize: size, layout: layout)
            #expect(needed == TiledProofs.tilesForRoot(treeSize: size, layout: layout))
            for id in needed {
                let width = layout.width(of: id, treeSize: size)
                #expect(width > 0 && width < layout.width, "\(id) is not a partial tile at size \(size)")
            }
            // From the tiles as they were at that size, and from wider ones written later.
            for (name, source) in [("tiles at size \(size)", snapshots[stop]), ("newest tiles", stored)] {
                var resumed = try TreeAppender(treeSize: size, tiles: source.filter { needed.contains($0.key) }, layout: layout)
                #expect(resumed.size == size)
                #expect(resumed.rootHash() == (stop == 0 ? .emptyTree : roots[stop - 1]), "\(name)")
                for next in stop..<batches.count {
                    let changed = resumed.append(batches[next])
                    #expect(changed == outputs[next], "batch \(next) after resuming at \(size) from \(name)")
                    #expect(resumed.rootHash() == roots[next], "root after batch \(next), resumed at \(size) from \(name)")
                }
            }
        }
    }

    @Test func resumingNeedsEveryRightEdgeTileInFull() throws {
        let layout = TileLayout(height: 2)
        let leaves = TestTree.leaves(87)  // 87 = 1112 in base 4: a partial tile on every level
        let tiles = TestTree.appendedTiles(leaves, layout: layout)
        let needed = TreeAppender.tilesForRestore(treeSize: 87, layout: layout)
        #expect(needed.count == 4)
        for id in needed {
            var without = tiles
            without[id] = nil
            #expect(throws: MerkleError(.missingTile, ""), "without \(id)") {
                try TreeAppender(treeSize: 87, tiles: without, layout: layout)
            }
            without[id] = tiles[id]?.dropLast()
            #expect(throws: MerkleError(.missingTile, ""), "\(id) one short") {
                try TreeAppender(treeSize: 87, tiles: without, layout: layout)
            }
        }
    }

    @Test func emptyTrees() throws {
        var fresh = TreeAppender()
        #expect(fresh.size == 0)
        #expect(fresh.rootHash() == .emptyTree)
        #expect(fresh.append([]).isEmpty)
        #expect(TreeAppender.tilesForRestore(treeSize: 0).isEmpty)
        var resumed = try TreeAppender(treeSize: 0, tiles: [:])
        let leaves = TestTree.leaves(3)
        #expect(resumed.append(leaves) == fresh.append(leaves))
        #expect(resumed.append(leaves) == [TileID(level: 0, index: 0): leaves + leaves])
        #expect(resumed.compactRange.size == 6)
    }

    @Test func standardTilesOfAFullTile() {
        var appender = TreeAppender()
        let leaves = TestTree.leaves(257)
        let changed = appender.append(Array(leaves.prefix(256)))
        #expect(changed == [
            TileID(level: 0, index: 0): Array(leaves.prefix(256)),
            TileID(level: 1, index: 0): [MerkleTree.rootHash(leafHashes: leaves.prefix(256))],
        ])
        #expect(appender.append([leaves[256]]) == [TileID(level: 0, index: 1): [leaves[256]]])
        #expect(TreeAppender.tilesForRestore(treeSize: 257) == [TileID(level: 0, index: 1), TileID(level: 1, index: 0)])
        #expect(TreeAppender.tilesForRestore(treeSize: 256) == [TileID(level: 1, index: 0)])
    }

    /// Mostly batches of a few leaves, sometimes empty ones and ones spanning several tiles.
    static func batchSize(_ random: inout SeededRandom) -> Int {
        switch Int.random(in: 0..<10, using: &random) {
        case 0: 0
        case 1...5: Int.random(in: 1...4, using: &random)
        default: Int.random(in: 5...600, using: &random)
        }
    }
}
