import Merkle

/// The path of a static-ct-api tile below the monitoring prefix (C2SP tlog-tiles, static-ct-api):
/// `tile/<L>/<N>[.p/<W>]` for hash tiles and `tile/data/<N>[.p/<W>]` for data tiles, where N is
/// written in 3-digit path elements, all but the last prefixed with `x` (1234067 is `x001/x234/067`).
public struct TilePath: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A hash tile at this tile level (0...5 for static-ct-api).
        case hashes(level: Int)
        /// A data tile: the TileLeaf entries matching the level-0 tile of the same index.
        case data
    }

    public var kind: Kind
    public var index: UInt64
    /// 1...255 for a partial tile; nil for a full tile.
    public var partialWidth: Int?

    public init(kind: Kind, index: UInt64, partialWidth: Int?) {
        precondition(partialWidth.map { (1...255).contains($0) } ?? true, "partial width \(partialWidth!) out of 1...255")
        self.kind = kind
        self.index = index
        self.partialWidth = partialWidth
    }

    /// The path of tile `id`, full or partial, in a tree of `treeSize` leaves; nil when the tile is empty there.
    public static func hashTile(_ id: TileID, treeSize: UInt64) -> TilePath? {
        let width = id.width(inTreeOfSize: treeSize)
        guard width > 0 else { return nil }
        return TilePath(kind: .hashes(level: id.level), index: id.index, partialWidth: width == TileID.width ? nil : width)
    }

    /// The path without a leading slash, e.g. `tile/0/x001/x234/067.p/12`.
    public var description: String {
        var elements: [String] = []
        var rest = index
        repeat {
            elements.insert(String(rest % 1000).leftPadded(to: 3), at: 0)
            rest /= 1000
        } while rest > 0
        for position in elements.indices.dropLast() { elements[position] = "x" + elements[position] }
        let level: String
        switch kind {
        case .hashes(let tileLevel): level = String(tileLevel)
        case .data: level = "data"
        }
        let partial = partialWidth.map { ".p/\($0)" } ?? ""
        return "tile/\(level)/" + elements.joined(separator: "/") + partial
    }

    /// Parses the path elements after `tile/`. Only the canonical encoding is accepted; anything
    /// else throws `FormatError(.invalidLength, ...)` naming the problem.
    public init(elements: [Substring]) throws {
        guard elements.count >= 2 else { throw Self.invalid("want tile/<L>/<N>[.p/<W>]") }
        let kind: Kind
        if elements[0] == "data" {
            kind = .data
        } else if let level = Int(elements[0]), (0...5).contains(level), String(level) == elements[0] {
            kind = .hashes(level: level)
        } else {
            throw Self.invalid("tile level \"\(elements[0])\" is not data or 0 to 5")
        }
        var indexElements = Array(elements.dropFirst())
        var width: Int?
        if indexElements.count >= 2, indexElements[indexElements.count - 2].hasSuffix(".p") {
            let text = indexElements.removeLast()
            guard let parsed = Int(text), String(parsed) == text, (1...255).contains(parsed) else {
                throw Self.invalid("partial width \"\(text)\" is not 1 to 255 without leading zeroes")
            }
            width = parsed
            indexElements[indexElements.count - 1] = indexElements[indexElements.count - 1].dropLast(2)
        }
        guard indexElements.count <= 7 else { throw Self.invalid("tile index has \(indexElements.count) elements") }
        var index: UInt64 = 0
        for (position, element) in indexElements.enumerated() {
            let isLast = position == indexElements.count - 1
            let digits = isLast ? element : (element.first == "x" ? element.dropFirst() : "")
            guard digits.count == 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt64(digits) else {
                throw Self.invalid("tile index element \"\(element)\" is not \(isLast ? "" : "x")NNN")
            }
            let (shifted, overflow) = index.multipliedReportingOverflow(by: 1000)
            guard !overflow else { throw Self.invalid("tile index overflows") }
            index = shifted + value
        }
        self.init(kind: kind, index: index, partialWidth: width)
        guard description == "tile/" + elements.joined(separator: "/") else {
            throw Self.invalid("tile path is not in canonical form (\(description))")
        }
    }

    private static func invalid(_ message: String) -> FormatError { FormatError(.invalidLength, message) }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
