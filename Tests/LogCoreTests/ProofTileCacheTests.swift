@testable import LogCore
import Merkle
import Testing
import TestSupport

/// `ProofTileCache` serves each tree size what storage would, keeps only the upper tiles and
/// the partial edge, and reads a kept tile again once the tree has grown past it.
@Suite struct ProofTileCacheTests {
    /// Storage for a growing synthetic tree: every tile as the latest commit left it, and how
    /// many times each tile was read.
    final class Store: @unchecked Sendable {
        var appender = TreeAppender()
        var leaves: [Hash] = []
        var tiles: [TileID: [Hash]] = [:]
        var reads: [TileID: Int] = [:]

        func grow(to size: Int) {
            let more = (leaves.count..<size).map { Hash.leaf(Array("leaf \($0)".utf8)) }
            leaves += more
            tiles.merge(appender.append(Array(more))) { _, new in new }
        }

        func read(_ ids: [TileID]) -> ProofTiles {
            var found: [TileID: [Hash]] = [:]
            for id in ids {
                reads[id, default: 0] += 1
                found[id] = tiles[id]
            }
            return ProofTiles(tiles: found)
        }
    }

    /// The tiles a proof at `treeSize` reads, as storage holds them, cut to that size.
    static func expected(_ ids: Set<TileID>, _ store: Store, treeSize: UInt64) -> [TileID: [Hash]] {
        Dictionary(uniqueKeysWithValues: ids.map { ($0, Array(store.tiles[$0]!.prefix($0.width(inTreeOfSize: treeSize)))) })
    }

    @Test func proofsThroughTheCacheMatchStorageAsTheTreeGrows() async throws {
        let store = Store()
        let cache = ProofTileCache()
        var sizes: [UInt64] = []
        // Sizes that move the level-0 and level-1 edges, fill tiles and start new ones.
        for size in [70_000, 70_100, 70_300, 70_400, 131_072, 131_100] {
            store.grow(to: size)
            sizes.append(UInt64(size))
            let root = MerkleTree.rootHash(leafHashes: store.leaves)
            for treeSize in sizes {
                let sizeRoot = treeSize == UInt64(size) ? root : MerkleTree.rootHash(leafHashes: Array(store.leaves.prefix(Int(treeSize))))
                for index in stride(from: UInt64(0), to: treeSize, by: 9_973) + [treeSize - 1] {
                    let ids = try TiledProofs.tilesForInclusion(index: index, treeSize: treeSize)
                    let served = try await cache.tiles(Array(ids), treeSize: treeSize) { store.read($0) }
                    #expect(Set(served.tiles.keys) == ids)
                    for (id, tile) in served.tiles {
                        let width = id.width(inTreeOfSize: treeSize)
                        #expect(tile.count >= width && Array(tile.prefix(width)) == Self.expected([id], store, treeSize: treeSize)[id])
                    }
                    let proof = try TiledProofs.inclusionProof(index: index, treeSize: treeSize, tiles: served.tiles)
                    try ProofVerifier.verifyInclusion(leafHash: store.leaves[Int(index)], index: index, treeSize: treeSize,
                                                      proof: proof, root: sizeRoot)
                }
            }
        }
        // Full level-0 tiles were read every time; the upper and edge tiles once per width.
        let fullLevel0 = store.reads.filter { $0.key.level == 0 && store.tiles[$0.key]!.count == TileID.width }
        #expect(fullLevel0.values.contains { $0 > 1 })
        // tile/1/0 is full from the start; tile/1/1 holds 17, 18, 19, then 256 hashes as the tree
        // grows (70,000 and 70,100 share a width).
        #expect(store.reads[TileID(level: 1, index: 0)] == 1)
        #expect(store.reads[TileID(level: 1, index: 1)] == 4)
        // Kept: tile/1/0, tile/1/1, tile/2/0 and the partial edges tile/0/273, 274 and 512.
        #expect(cache.count == 6)
    }

    @Test func aFullCacheEmptiesAndRefills() async throws {
        let store = Store()
        store.grow(to: 600)
        let cache = ProofTileCache(capacity: 1)
        let edge = TileID(level: 0, index: 2)
        _ = try await cache.tiles([edge], treeSize: 600) { store.read($0) }
        _ = try await cache.tiles([edge], treeSize: 600) { store.read($0) }
        #expect(store.reads[edge] == 1)
        let full = TileID(level: 0, index: 0)
        _ = try await cache.tiles([full], treeSize: 600) { store.read($0) }
        #expect(cache.count == 1)
        store.grow(to: 700)
        let grown = try await cache.tiles([edge], treeSize: 700) { store.read($0) }
        #expect(grown.tiles[edge]?.count == 700 - 512 && store.reads[edge] == 2)
        let older = try await cache.tiles([edge], treeSize: 600) { store.read($0) }
        #expect(older.tiles[edge]?.count == 700 - 512 && store.reads[edge] == 2)
    }
}
