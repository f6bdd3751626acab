@testable import Merkle
import TestSupport

/// Synthetic trees and their tiles, computed the slow way.
enum TestTree {
    /// A distinct leaf hash per index: the leaf hash of the index's eight big-endian bytes.
    static func leaf(_ index: UInt64) -> Hash {
        Hash.leaf((0..<8).map { UInt8(truncatingIfNeeded: index >> (56 - 8 * $0)) })
    }

    static func leaves(_ count: Int) -> [Hash] {
        (0..<UInt64(count)).map(leaf)
    }

    /// Every tile of the tree over `leaves`, straight from the definition: a level-t tile
    /// holds the MTH of each aligned run of width^t leaves, computed by the reference.
    static func tiles(of leaves: ArraySlice<Hash>, layout: TileLayout) -> [TileID: [Hash]] {
        var tiles: [TileID: [Hash]] = [:]
        var row = Array(leaves)
        var level = 0
        while !row.isEmpty {
            for start in stride(from: 0, to: row.count, by: layout.width) {
                let tile = Array(row[start..<min(start + layout.width, row.count)])
                tiles[TileID(level: level, index: UInt64(start / layout.width))] = tile
            }
            // The next level's hashes: one per complete tile of this level.
            row = stride(from: 0, to: row.count - row.count % layout.width, by: layout.width).map {
                MerkleTree.rootHash(leafHashes: row[$0..<($0 + layout.width)])
            }
            level += 1
        }
        return tiles
    }

    /// The tiles of a tree built by appending `leaves` in one batch, as the sequencer stores them.
    static func appendedTiles(_ leaves: [Hash], layout: TileLayout) -> [TileID: [Hash]] {
        var appender = TreeAppender(layout: layout)
        return appender.append(leaves)
    }

    /// The tiles of `got` whose contents differ from `want`, sorted; absent in `want` counts as differing.
    static func differences(_ got: [TileID: [Hash]], _ want: [TileID: [Hash]]) -> [TileID] {
        Set(got.keys).union(want.keys).filter { got[$0] != want[$0] }.sorted()
    }

    /// Bytes from lower-case or upper-case hex; nil for anything else.
    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let high = nibble(digits[i]), let low = nibble(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
