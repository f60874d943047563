import Columnar
import Testing
@testable import Parquet

func decodeDeltaStrings(_ data: [UInt8], count: Int, batch: Int = 1000) throws -> [[UInt8]] {
    try data.withUnsafeBytes { raw in
        var decoder = try DeltaByteArrayDecoder(data: raw)
        return try decodeByteArrays(count: count, batch: batch) { try decoder.decode(count: $0, offsets: &$1, values: &$2) }
    }
}

@Suite struct DeltaByteArrayDecoderTests {
    /// Encodings.md: "axis", "axle", "babble", "babyhood" is DeltaEncoding(0, 2, 0, 3) (the prefix
    /// lengths), DeltaEncoding(4, 2, 6, 5) (the suffix lengths) and "axislebabbleyhood". With the
    /// spec's 8-value blocks the prefix deltas 2, -2, 3 are min delta -2 (zigzag 3) and 4, 0, 5 on
    /// 3 bits; the suffix deltas -2, 4, -1 are min delta -2 and 0, 6, 1 on 3 bits.
    static let example: [UInt8] = [8, 1, 4, 0, 3, 3, 0x44, 0x01, 0x00]
        + [8, 1, 4, 8, 3, 3, 0x70, 0x00, 0x00]
        + Array("axislebabbleyhood".utf8)
    static let exampleValues = ["axis", "axle", "babble", "babyhood"].map { Array($0.utf8) }

    @Test func decodesTheSpecExample() throws {
        for batch in [1, 2, 4] {
            #expect(try decodeDeltaStrings(Self.example, count: 4, batch: batch) == Self.exampleValues)
        }
        try Self.example.withUnsafeBytes { raw in
            var decoder = try DeltaByteArrayDecoder(data: raw)
            var offsets = BufferBuilder()
            var values = BufferBuilder()
            try decoder.decode(count: 4, offsets: &offsets, values: &values)
            #expect(decoder.consumedByteCount == raw.count)
        }
    }

    @Test(arguments: [1, 3, 64, 1024])
    func decodesPyarrowPages(batch: Int) throws {
        let strings = PyarrowFixtures.stringValues.map { Array($0.utf8) }
        #expect(try decodeDeltaStrings(PyarrowFixtures.deltaStrings, count: strings.count, batch: batch) == strings)
        let sorted = PyarrowFixtures.sortedStringValues.map { Array($0.utf8) }
        #expect(try decodeDeltaStrings(PyarrowFixtures.deltaSortedStrings, count: sorted.count, batch: batch) == sorted)
    }

    @Test func decodesPyarrowFixedLengthPage() throws {
        let expected = PyarrowFixtures.fixedValues
        for batch in [1, 7, 100] {
            let decoded = try PyarrowFixtures.deltaFixed.withUnsafeBytes { raw in
                var decoder = try DeltaByteArrayDecoder(data: raw)
                var values = BufferBuilder()
                var done = 0
                while done < expected.count / 3 {
                    let n = min(batch, expected.count / 3 - done)
                    try decoder.decodeFixed(count: n, byteWidth: 3, values: &values)
                    done += n
                }
                return values.bytes()
            }
            #expect(decoded == expected)
        }
        // The same page read as a 4-byte column is corrupt.
        #expect(throws: ParquetError.self) {
            try PyarrowFixtures.deltaFixed.withUnsafeBytes { raw in
                var decoder = try DeltaByteArrayDecoder(data: raw)
                var values = BufferBuilder()
                try decoder.decodeFixed(count: 1, byteWidth: 4, values: &values)
            }
        }
    }

    @Test func rejectsAPrefixLongerThanThePreviousValue() {
        // Prefix lengths 0, 5 (header 8, 1, 2, 0; min delta 5 = zigzag 10, width 0) after a value of 4 bytes.
        let data: [UInt8] = [8, 1, 2, 0, 10, 0] + [8, 1, 2, 8, 7, 0] + Array("axis".utf8)
        #expect(throws: ParquetError.self) { _ = try decodeDeltaStrings(data, count: 2) }
        // Also across calls: the previous value is remembered.
        #expect(throws: ParquetError.self) { _ = try decodeDeltaStrings(data, count: 2, batch: 1) }
    }

    @Test func rejectsOtherCorruptData() {
        #expect(throws: ParquetError.self) { _ = try decodeDeltaStrings(Self.example, count: 5) }
        #expect(throws: ParquetError.self) { _ = try decodeDeltaStrings(Array(Self.example.dropLast()), count: 4) }
        #expect(throws: ParquetError.self) { _ = try decodeDeltaStrings(Array(Self.example.prefix(12)), count: 4) }
    }

    @Test func survivesRandomInput() {
        var rng = SeededGenerator(seed: 12)
        let page = PyarrowFixtures.deltaStrings
        for round in 0..<2000 {
            var data = randomBytes(Int(rng.next() % 80), using: &rng)
            if round % 3 == 0 { data = Array(page.prefix(Int(rng.next() % UInt64(page.count)))) }
            if round % 3 == 1 {
                data = page
                data[Int(rng.next() % UInt64(data.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            _ = try? decodeDeltaStrings(data, count: Int(rng.next() % 300), batch: 1 + round % 64)
            _ = try? data.withUnsafeBytes { raw in
                var decoder = try DeltaByteArrayDecoder(data: raw)
                var values = BufferBuilder()
                try decoder.decodeFixed(count: 10, byteWidth: 3, values: &values)
            }
        }
    }
}
