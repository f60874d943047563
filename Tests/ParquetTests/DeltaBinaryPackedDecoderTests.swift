import Testing
@testable import Parquet

/// Decodes every value of DELTA_BINARY_PACKED `data` in batches; returns them and the byte count.
func decodeDelta<Value: DeltaBinaryPackedInteger>(
    _ data: [UInt8], as type: Value.Type, batch: Int = 100, limit: Int = 1 << 20
) throws -> (values: [Value], byteCount: Int) {
    try data.withUnsafeBytes { raw in
        var decoder = try DeltaBinaryPackedDecoder<Value>(data: raw)
        var result: [Value] = []
        var buffer = [Value](repeating: 0, count: batch)
        while result.count < limit {
            let n = try buffer.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            if n == 0 { break }
            result += buffer.prefix(n)
        }
        return (result, decoder.consumedByteCount)
    }
}

@Suite struct DeltaBinaryPackedDecoderTests {
    /// Encodings.md example 1 (block size 8, 1 miniblock): 1, 2, 3, 4, 5 is the header
    /// 8, 1, 5, zigzag(1) = 2, and one block: min delta zigzag(1) = 2, bit width 0, no data.
    static let example1: [UInt8] = [8, 1, 5, 2, 2, 0]
    /// Example 2: 7, 5, 3, 1, 2, 3, 4, 5 is the header 8, 1, 8, zigzag(7) = 14, then min delta
    /// zigzag(-2) = 3, bit width 2, and 0, 0, 0, 3, 3, 3, 3 (+ one padding 0) packed on 2 bits.
    static let example2: [UInt8] = [8, 1, 8, 14, 3, 2, 0b1100_0000, 0b0011_1111]

    @Test func decodesTheSpecExamples() throws {
        let one = try decodeDelta(Self.example1, as: Int32.self)
        #expect(one.values == [1, 2, 3, 4, 5])
        #expect(one.byteCount == Self.example1.count)
        for batch in [1, 3, 8] {
            let two = try decodeDelta(Self.example2, as: Int64.self, batch: batch)
            #expect(two.values == [7, 5, 3, 1, 2, 3, 4, 5])
            #expect(two.byteCount == Self.example2.count)
        }
    }

    @Test(arguments: [1, 5, 8, 31, 32, 33, 100, 1024])
    func decodesPyarrowPages(batch: Int) throws {
        let int32 = try decodeDelta(PyarrowFixtures.deltaInt32, as: Int32.self, batch: batch)
        #expect(int32.values == PyarrowFixtures.deltaInt32Values)
        #expect(int32.byteCount == PyarrowFixtures.deltaInt32.count)
        let int64 = try decodeDelta(PyarrowFixtures.deltaInt64, as: Int64.self, batch: batch)
        #expect(int64.values == PyarrowFixtures.deltaInt64Values)
        #expect(int64.byteCount == PyarrowFixtures.deltaInt64.count)
    }

    @Test func skipsToTheEndWithoutDecoding() throws {
        for (data, partial) in [(PyarrowFixtures.deltaInt64, 0), (PyarrowFixtures.deltaInt64, 77), (Self.example2, 3)] {
            let end = try data.withUnsafeBytes { raw in
                var decoder = try DeltaBinaryPackedDecoder<Int64>(data: raw)
                var buffer = [Int64](repeating: 0, count: partial)
                _ = try buffer.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                return try decoder.skipToEnd()
            }
            #expect(end == data.count)
        }
        // The end is found with trailing bytes present, as when lengths precede string data.
        let withTrailer = Self.example2 + [0xAB, 0xCD]
        #expect(try withTrailer.withUnsafeBytes { raw in
            var decoder = try DeltaBinaryPackedDecoder<Int32>(data: raw)
            return try decoder.skipToEnd()
        } == Self.example2.count)
    }

    @Test func wrapsAroundOnOverflow() throws {
        // Int32: first value Int32.max, min delta 1 (zigzag 2), width 0: the next value wraps to Int32.min.
        let data: [UInt8] = [8, 1, 2, 0xfe, 0xff, 0xff, 0xff, 0x0f, 2, 0]
        #expect(try decodeDelta(data, as: Int32.self).values == [Int32.max, Int32.min])
    }

    @Test func rejectsCorruptData() throws {
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("truncated header", [0x80, 0x01, 0x04]),
            ("block size 0", [0, 1, 1, 0]),
            ("miniblocks do not divide the block", [8, 3, 1, 0]),
            ("4 values per miniblock", [8, 2, 1, 0]),
            ("value count above 2^31", [8, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 0]),
            ("block header missing", [8, 1, 5, 2]),
            ("bit widths missing", [16, 2, 5, 2, 2, 0]),
            ("bit width 33 for INT32", [8, 1, 5, 2, 2, 33] + [UInt8](repeating: 0, count: 40)),
            ("miniblock bytes missing", [8, 1, 8, 14, 3, 2, 0b1100_0000]),
        ]
        for (name, data) in cases {
            #expect(throws: ParquetError.self, "\(name)") { _ = try decodeDelta(data, as: Int32.self) }
        }
        // 64-bit widths are fine for INT64 but not INT32.
        let wide: [UInt8] = [8, 1, 2, 0, 0, 64] + [UInt8](repeating: 0xff, count: 64)
        #expect(throws: ParquetError.self) { _ = try decodeDelta(wide, as: Int32.self) }
        #expect(try decodeDelta(wide, as: Int64.self).values == [0, -1])
    }

    @Test func survivesRandomAndTruncatedInput() throws {
        var rng = SeededGenerator(seed: 7)
        for round in 0..<3000 {
            var data = randomBytes(Int(rng.next() % 60), using: &rng)
            // Half of the cases start with a valid header so that blocks get parsed.
            if round % 2 == 0 { data = [0x80, 0x01, 0x04, UInt8(rng.next() % 127), UInt8(rng.next() % 127)] + data }
            _ = try? decodeDelta(data, as: Int32.self, batch: 1 + round % 50, limit: 10_000)
            _ = try? decodeDelta(data, as: Int64.self, batch: 64, limit: 10_000)
            _ = try? data.withUnsafeBytes { raw in
                var decoder = try DeltaBinaryPackedDecoder<Int64>(data: raw)
                _ = try decoder.skipToEnd()
            }
        }
        // Every proper prefix of a real page fails cleanly.
        let page = PyarrowFixtures.deltaInt64
        for length in 0..<page.count {
            #expect(throws: ParquetError.self) {
                let result = try decodeDelta(Array(page.prefix(length)), as: Int64.self)
                if result.values.count < PyarrowFixtures.deltaInt64Values.count { throw ParquetError.corrupt("short") }
            }
        }
    }
}
