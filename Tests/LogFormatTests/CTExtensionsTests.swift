@testable import LogFormat
import Testing

@Suite struct CTExtensionsTests {
    @Test func leafIndexIsEightBytes() {
        #expect(Fixtures.hexString(CTExtensions(leafIndex: 0).encoded) == "0000050000000000")
        #expect(Fixtures.hexString(CTExtensions(leafIndex: 0x01_0203_0405).encoded) == "0000050102030405")
        #expect(Fixtures.hexString(CTExtensions(leafIndex: CTExtensions.maxLeafIndex).encoded) == "000005ffffffffff")
        #expect(CTExtensions(leafIndex: nil).encoded.isEmpty)
    }

    @Test(arguments: [nil, 0, 1, 255, 256, 0xff_ffff_ffff] as [UInt64?]) func roundTrips(_ index: UInt64?) throws {
        let extensions = CTExtensions(leafIndex: index)
        #expect(try CTExtensions(parsing: extensions.encoded) == extensions)
    }

    @Test func unknownExtensionsAreSkipped() throws {
        let bytes = Fixtures.hex("070003abcdef" + "0000050000000009" + "080000")
        #expect(try CTExtensions(parsing: bytes).leafIndex == 9)
        #expect(try CTExtensions(parsing: Fixtures.hex("070000")).leafIndex == nil)
    }

    @Test func duplicatesThrow() {
        #expect(throws: FormatError(.invalidExtensions, "")) {
            try CTExtensions(parsing: Fixtures.hex("0000050000000001" + "0000050000000002"))
        }
        #expect(throws: FormatError(.invalidExtensions, "")) { try CTExtensions(parsing: Fixtures.hex("070000070000")) }
    }

    @Test(arguments: ["000004" + "00000000", "000006" + "000000000000", "000000"]) func wrongLeafIndexLengthThrows(_ hex: String) {
        let bytes = Fixtures.hex(hex)
        #expect(throws: FormatError(.invalidExtensions, "")) { try CTExtensions(parsing: bytes) }
    }

    @Test func truncatedExtensionsThrow() {
        let bytes = CTExtensions(leafIndex: 7).encoded
        for length in 1 ..< bytes.count {  // the empty prefix is a valid, empty list
            #expect(throws: FormatError.self) { try CTExtensions(parsing: Array(bytes[..<length])) }
        }
    }
}
