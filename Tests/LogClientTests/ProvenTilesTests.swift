@testable import LogClient
import Merkle
import Testing

/// The top-down tile walk on trees too big to serve cheaply over HTTP: a full level-1 tile proven
/// by a level-2 edge, and a lie at any level found where it is.
@Suite struct ProvenTilesTests {
    /// Every tile of a tree of `size` made-up leaves, at that size.
    static func tiles(size: Int) -> [TileID: [Hash]] {
        var appender = TreeAppender()
        var tiles: [TileID: [Hash]] = [:]
        for start in stride(from: 0, to: size, by: 4096) {
            let leaves = (start..<min(start + 4096, size)).map { Hash.leaf(Array("leaf \($0)".utf8)) }
            tiles.merge(appender.append(leaves)) { _, new in new }
        }
        return tiles
    }

    static let size = 65_536 + 300
    static let honest = tiles(size: size)
    static let root = MerkleTree.rootHash(leafHashes: (0..<size).map { Hash.leaf(Array("leaf \($0)".utf8)) })

    static func walk(_ tiles: [TileID: [Hash]]) async throws -> Int {
        let size = UInt64(Self.size)
        var proven = try await ProvenTiles(treeSize: size, rootHash: root) { id, width in
            Array(try #require(tiles[id]).prefix(width))
        }
        var leaves = 0
        for index in 0..<(size + 255) / 256 {
            leaves += try await proven.hashes(of: TileID(level: 0, index: index)).count
        }
        return leaves
    }

    @Test func everyLeafHashIsProvenThroughTheLevels() async throws {
        #expect(Self.honest[TileID(level: 1, index: 0)]?.count == 256)
        #expect(Self.honest[TileID(level: 2, index: 0)]?.count == 1)
        #expect(try await Self.walk(Self.honest) == Self.size)
    }

    @Test(arguments: [
        (TileID(level: 0, index: 200), "tile/0/200 hashes to"),
        (TileID(level: 0, index: 256), "tile/0/256 hashes to"),
        (TileID(level: 0, index: 257), "the right-edge tiles"),
        (TileID(level: 1, index: 0), "tile/1/000 hashes to"),
        (TileID(level: 1, index: 1), "the right-edge tiles"),
        (TileID(level: 2, index: 0), "the right-edge tiles"),
    ])
    func aChangedHashIsFoundInItsTile(_ id: TileID, _ message: String) async throws {
        var tiles = Self.honest
        tiles[id]![0] = Hash.emptyTree
        let error = await #expect(throws: LogClientError(.badTile, "")) { _ = try await Self.walk(tiles) }
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "no error")")
    }
}
