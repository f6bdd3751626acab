import Foundation

/// Small helpers shared by the PKI tests.
enum Fixtures {
    /// `bytes` with bit `bit` of byte `index` flipped; negative indices count from the end.
    static func flipping(_ bytes: [UInt8], at index: Int, bit: Int = 0) -> [UInt8] {
        var copy = bytes
        let position = index >= 0 ? index : copy.count + index
        copy[position] ^= UInt8(1 << bit)
        return copy
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
