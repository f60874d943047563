import Columnar
import Testing
@testable import Parquet

func decodePlainStrings(_ data: [UInt8], count: Int, batch: Int = 1000) throws -> [[UInt8]] {
    try data.withUnsafeBytes { raw in
        var decoder = PlainByteArrayDecoder(data: raw)
        return try decodeByteArrays(count: count, batch: batch) { try decoder.decode(count: $0, offsets: &$1, values: &$2) }
    }
}

@Suite struct PlainByteArrayDecoderTests {
    @Test(arguments: [1, 2, 50, 1000])
    func decodesPyarrowPage(batch: Int) throws {
        let expected = PyarrowFixtures.stringValues.map { Array($0.utf8) }
        #expect(try decodePlainStrings(PyarrowFixtures.plainStrings, count: expected.count, batch: batch) == expected)
        try PyarrowFixtures.plainStrings.withUnsafeBytes { raw in
            var decoder = PlainByteArrayDecoder(data: raw)
            try decoder.skip(count: expected.count)
            #expect(decoder.consumedByteCount == raw.count)
        }
    }

    @Test func copiesLongAndShortValuesNearTheEnd() throws {
        // Values of every length up to 40, the last ones without slack after them.
        let values = (0...40).map { length in (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ length) } }
        var data: [UInt8] = []
        for value in values { data += withUnsafeBytes(of: UInt32(value.count).littleEndian, Array.init) + value }
        #expect(try decodePlainStrings(data, count: values.count, batch: 7) == values)
        #expect(try decodePlainStrings(Array(data.suffix(4 + 40)), count: 1) == [values[40]])
    }

    @Test func rejectsTruncatedDataAndLeavesTheBuildersAlone() throws {
        let data: [UInt8] = [3, 0, 0, 0, 0x61, 0x62, 0x63, 5, 0, 0, 0, 0x61]
        #expect(throws: ParquetError.self) { _ = try decodePlainStrings(data, count: 2) }
        #expect(throws: ParquetError.self) { _ = try decodePlainStrings(Array(data.prefix(9)), count: 2) }
        #expect(throws: ParquetError.self) { _ = try decodePlainStrings([0xff, 0xff, 0xff, 0xff], count: 1) }
        #expect(throws: ParquetError.self) { _ = try decodePlainStrings(data, count: 1_000_000) }
        data.withUnsafeBytes { raw in
            var decoder = PlainByteArrayDecoder(data: raw)
            var offsets = BufferBuilder()
            var values = BufferBuilder()
            #expect(throws: ParquetError.self) { try decoder.decode(count: 2, offsets: &offsets, values: &values) }
            #expect(offsets.count == 0 && values.count == 0)
            #expect(decoder.consumedByteCount == 0)
            #expect(throws: ParquetError.self) { try decoder.skip(count: 2) }
        }
    }

    @Test func survivesRandomInput() {
        var rng = SeededGenerator(seed: 3)
        for round in 0..<3000 {
            var data = randomBytes(Int(rng.next() % 64), using: &rng)
            if round % 2 == 0, data.count > 4 { data[1] = 0; data[2] = 0; data[3] = 0 }
            _ = try? decodePlainStrings(data, count: Int(rng.next() % 8), batch: 1 + round % 3)
        }
    }
}
