@testable import LogFormat
import Testing

@Suite struct TLSReaderTests {
    @Test func readsBigEndianIntegersOfAnyWidth() throws {
        var reader = TLSReader([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a])
        #expect(try reader.readInteger(UInt8.self, field: "a") == 0x01)
        #expect(try reader.readInteger(UInt64.self, byteCount: 3, field: "b") == 0x02_0304)
        #expect(try reader.readInteger(UInt16.self, field: "c") == 0x0506)
        #expect(try reader.readInteger(UInt64.self, byteCount: 4, field: "d") == 0x0708_090a)
        #expect(reader.isAtEnd)
        try reader.expectEnd(of: "test")
    }

    @Test func roundTripsWhatTheWriterWrites() throws {
        var writer = TLSWriter()
        writer.writeInteger(UInt64(0xdead_beef_cafe), byteCount: 6)
        writer.writeVector([1, 2, 3], lengthBytes: 3)
        writer.writeVector([], lengthBytes: 2)
        writer.writeBytes([9, 9])
        var reader = TLSReader(writer.bytes)
        #expect(try reader.readInteger(UInt64.self, byteCount: 6, field: "n") == 0xdead_beef_cafe)
        #expect(try reader.readVector(lengthBytes: 3, field: "v") == [1, 2, 3])
        #expect(try reader.readVector(lengthBytes: 2, field: "e") == [])
        #expect(try reader.readBytes(2, field: "f") == [9, 9])
        #expect(reader.isAtEnd)
    }

    @Test func shortIntegerThrowsTruncated() {
        var reader = TLSReader([0x01, 0x02])
        #expect(throws: FormatError(.truncated, "")) { try reader.readInteger(UInt32.self, field: "x") }
    }

    @Test func vectorLongerThanInputThrowsWithNumbers() throws {
        var reader = TLSReader([0x00, 0x09, 1, 2, 3, 4])
        let error = try #require(throws: FormatError.self) {
            try reader.readVector(lengthBytes: 2, field: "extensions")
        }
        #expect(error.code == .truncated)
        #expect(error.message == "extensions length 9 exceeds remaining 4 bytes")
    }

    @Test func hugeLengthPrefixThrowsInsteadOfTrapping() {
        var reader = TLSReader(Array(repeating: 0xff, count: 12))
        #expect(throws: FormatError(.truncated, "")) { try reader.readVector(lengthBytes: 8, field: "huge") }
    }

    @Test func vectorBelowMinimumThrows() {
        var reader = TLSReader([0x00, 0x00, 0x00])
        #expect(throws: FormatError(.invalidLength, "")) {
            try reader.readVector(lengthBytes: 3, minimum: 1, field: "ASN.1Cert")
        }
    }

    @Test func fixedBytesBeyondInputThrow() {
        var reader = TLSReader([1, 2, 3])
        #expect(throws: FormatError(.truncated, "")) { try reader.readBytes(4, field: "id") }
    }

    @Test func trailingBytesThrow() throws {
        var reader = TLSReader([1, 2])
        _ = try reader.readInteger(UInt8.self, field: "a")
        #expect(reader.remaining == 1)
        #expect(throws: FormatError(.trailingData, "")) { try reader.expectEnd(of: "thing") }
    }
}
