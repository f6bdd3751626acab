/// The basicConstraints extension (RFC 5280 s4.2.1.9), read from its extnValue:
///
///     BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
///
/// `init` gives nil for anything but this plain shape, so that an odd encoding is judged by
/// OpenSSL, as it was before this reader existed.
struct BasicConstraints: Equatable {
    let isCA: Bool
    /// pathLenConstraint when cA is TRUE; nil when absent or when cA is FALSE.
    let pathLength: Int?

    static let absent = BasicConstraints(isCA: false, pathLength: nil)

    init(isCA: Bool, pathLength: Int?) {
        self.isCA = isCA
        self.pathLength = pathLength
    }

    /// Reads one extension's extnValue contents.
    init?(_ value: ArraySlice<UInt8>) {
        guard let sequence = try? DER.single(value, "BasicConstraints"), sequence.tag == DER.Tag.sequence,
              var fields = try? sequence.children(), fields.count <= 2 else { return nil }
        var isCA = false
        if let first = fields.first, first.tag == DER.Tag.boolean {
            guard first.content.count == 1 else { return nil }
            isCA = first.content.first != 0
            fields.removeFirst()
        }
        var pathLength: Int?
        if let limit = fields.first {
            // A small non-negative INTEGER in its minimal encoding; anything else is left to OpenSSL.
            let content = limit.content
            guard fields.count == 1, limit.tag == DER.Tag.integer, (1...3).contains(content.count),
                  DER.isMinimalInteger(content), content.first! & 0x80 == 0 else { return nil }
            pathLength = content.reduce(0) { $0 << 8 | Int($1) }
        }
        self.init(isCA: isCA, pathLength: isCA ? pathLength : nil)
    }
}
