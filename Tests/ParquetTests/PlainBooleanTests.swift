import Columnar
import Testing
@testable import Parquet

@Suite struct PlainBooleanTests {
    static func bits(_ bytes: [UInt8], from start: Int, count: Int) -> [Bool] {
        bytes.withUnsafeBytes { raw in (start..<(start + count)).map { Bitmap.isSet(raw.baseAddress!, $0) } }
    }

    @Test func unpacksPyarrowValuesAtAnyOffset() throws {
        let expected = PyarrowFixtures.booleanValues
        for (sourceStart, bitmapOffset) in [(0, 0), (0, 3), (5, 0), (13, 21), (3, 8)] {
            let count = expected.count - sourceStart
            // Bits around the written range keep their values.
            var bitmap = [UInt8](repeating: 0b1010_0101, count: 32)
            let before = bitmap
            try PyarrowFixtures.plainBooleans.withUnsafeBytes { raw in
                try bitmap.withUnsafeMutableBytes {
                    try PlainBoolean.unpack(raw, fromBit: sourceStart, count: count, into: $0.baseAddress!, atBit: bitmapOffset)
                }
            }
            #expect(Self.bits(bitmap, from: bitmapOffset, count: count) == Array(expected[sourceStart...]))
            #expect(Self.bits(bitmap, from: 0, count: bitmapOffset) == Self.bits(before, from: 0, count: bitmapOffset))
            let after = bitmapOffset + count
            #expect(Self.bits(bitmap, from: after, count: 256 - after) == Self.bits(before, from: after, count: 256 - after))
        }
    }

    @Test func packsLikePyarrow() {
        let bitmap = Bitmap.buffer(from: PyarrowFixtures.booleanValues, count: PyarrowFixtures.booleanValues.count)
        let packed = built { output in
            PlainBoolean.pack(bitmap: bitmap.baseAddress, fromBit: 0, count: PyarrowFixtures.booleanValues.count, into: &output)
        }
        #expect(packed == PyarrowFixtures.plainBooleans)
        // From an offset: the same values shifted.
        let shifted = Bitmap.buffer(from: [true, false, true] + PyarrowFixtures.booleanValues,
                                    count: PyarrowFixtures.booleanValues.count + 3)
        let packedShifted = built { output in
            PlainBoolean.pack(bitmap: shifted.baseAddress, fromBit: 3, count: PyarrowFixtures.booleanValues.count, into: &output)
        }
        #expect(packedShifted == PyarrowFixtures.plainBooleans)
    }

    @Test func rejectsReadsPastTheData() {
        var bitmap = [UInt8](repeating: 0, count: 8)
        #expect(throws: ParquetError.self) {
            try [UInt8]([0xff]).withUnsafeBytes { raw in
                try bitmap.withUnsafeMutableBytes { try PlainBoolean.unpack(raw, fromBit: 3, count: 6, into: $0.baseAddress!, atBit: 0) }
            }
        }
    }
}
