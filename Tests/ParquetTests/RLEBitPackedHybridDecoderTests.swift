import Testing
@testable import Parquet

/// Decodes all values of `data` (at most `limit`) in batches of `batch`.
func decodeHybrid<T: FixedWidthInteger>(
    _ data: [UInt8], bitWidth: Int, batch: Int = 100, limit: Int = 1 << 20, as type: T.Type = T.self
) throws -> [T] {
    try data.withUnsafeBytes { raw in
        var decoder = try RLEBitPackedHybridDecoder(bitWidth: bitWidth, data: raw)
        var result: [T] = []
        var buffer = [T](repeating: 0, count: batch)
        while true {
            let n = try buffer.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
            if n == 0 || result.count >= limit { return result }
            result += buffer.prefix(n)
        }
    }
}

@Suite struct RLEBitPackedHybridDecoderTests {
    /// The spec's bit-packing example as a bit-packed run of one group: header (1 << 1) | 1.
    @Test func decodesTheSpecExampleAsARun() throws {
        let data: [UInt8] = [0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010]
        #expect(try decodeHybrid(data, bitWidth: 3, as: UInt32.self) == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    /// `skipRepeated` takes values only from a repeated run long enough for all of them; a
    /// bit-packed run, a short remainder or the end leave the values to `decode`.
    @Test func skipRepeatedTakesWholeRunsOnly() throws {
        // Hand-encoded per the spec, bit width 2: 100 × 1 (RLE header 100 << 1 as a ULEB128
        // varint, then the value byte), a bit-packed group of 8 (header 1 << 1 | 1) holding
        // 0 1 2 3 3 2 1 0, then 50 × 2.
        let data: [UInt8] = [0xC8, 0x01, 1, 0x03, 0b1110_0100, 0b0001_1011, 100, 2]
        try data.withUnsafeBytes { raw in
            var decoder = try RLEBitPackedHybridDecoder(bitWidth: 2, data: raw)
            var buffer = [UInt16](repeating: 9, count: 40)
            #expect(try decoder.skipRepeated(60) == 1)
            #expect(try decoder.skipRepeated(41) == nil)
            #expect(try buffer.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) } == 40)
            #expect(buffer == [UInt16](repeating: 1, count: 40))
            #expect(try decoder.skipRepeated(8) == nil)
            #expect(try buffer.withUnsafeMutableBufferPointer { try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: $0[0..<8])) } == 8)
            #expect(Array(buffer.prefix(8)) == [0, 1, 2, 3, 3, 2, 1, 0])
            #expect(try decoder.skipRepeated(50) == 2)
            #expect(try decoder.skipRepeated(1) == nil)
        }
    }

    @Test(arguments: [1, 2, 3, 7, 8, 9, 64, 1000])
    func decodesPyarrowDefinitionLevels(batch: Int) throws {
        // Page v2 levels: no length prefix; 300 values, some of them in a bit-packed run whose
        // last group is padding.
        let levels = try decodeHybrid(PyarrowFixtures.definitionLevels, bitWidth: 1, batch: batch, as: Int16.self)
        let expected = PyarrowFixtures.definitionLevelValues
        #expect(Array(levels.prefix(expected.count)) == expected)
        #expect(levels.count >= expected.count && levels.count < expected.count + 8)
    }

    @Test func decodesPyarrowListLevels() throws {
        let repetition = try decodeHybrid(PyarrowFixtures.listRepetitionLevels, bitWidth: 1, batch: 13, as: Int16.self)
        let definition = try decodeHybrid(PyarrowFixtures.listDefinitionLevels, bitWidth: 2, batch: 5, as: Int16.self)
        let count = PyarrowFixtures.listRepetitionLevelValues.count
        #expect(Array(repetition.prefix(count)) == PyarrowFixtures.listRepetitionLevelValues)
        #expect(Array(definition.prefix(count)) == PyarrowFixtures.listDefinitionLevelValues)
    }

    @Test func decodesPyarrowV1LevelsAndFindsTheValues() throws {
        let page = PyarrowFixtures.definitionLevelsV1Page
        let expected = PyarrowFixtures.definitionLevelValues
        try page.withUnsafeBytes { raw in
            var (decoder, byteCount) = try RLEBitPackedHybridDecoder.levelsV1(bitWidth: 1, data: raw)
            var levels = [UInt8](repeating: 0, count: expected.count)
            #expect(try levels.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) } == expected.count)
            #expect(levels.map(Int16.init) == expected)
            // What follows the levels is the PLAIN values of the non-null rows: 1, 2, 3, 4, 6, …
            let nonNull = expected.enumerated().filter { $0.element == 1 }.map { Int32($0.offset) }
            let values = (0..<nonNull.count).map { raw.loadUnaligned(fromByteOffset: byteCount + 4 * $0, as: Int32.self) }
            #expect(values == nonNull)
            #expect(byteCount + 4 * nonNull.count == raw.count)
        }
    }

    @Test func decodesPyarrowDictionaryIndicesWithTheBoundCheck() throws {
        let expected = PyarrowFixtures.dictionaryIndexValues
        let dictionaryCount = Int(expected.max()!) + 1
        for batch in [7, 64, 4096] {
            var decoded: [UInt32] = []
            try PyarrowFixtures.dictionaryIndices.withUnsafeBytes { raw in
                var decoder = try RLEBitPackedHybridDecoder.dictionaryIndices(data: raw)
                #expect(decoder.bitWidth == 5)
                var buffer = [UInt32](repeating: 0, count: batch)
                while decoded.count < expected.count {
                    let n = try buffer.withUnsafeMutableBufferPointer {
                        try decoder.decodeIndices(into: $0, dictionaryCount: dictionaryCount)
                    }
                    if n == 0 { break }
                    decoded += buffer.prefix(n)
                }
            }
            #expect(Array(decoded.prefix(expected.count)) == expected)
        }
        // One entry short: index `dictionaryCount - 1` must be rejected.
        #expect(throws: ParquetError.self) {
            try PyarrowFixtures.dictionaryIndices.withUnsafeBytes { raw in
                var decoder = try RLEBitPackedHybridDecoder.dictionaryIndices(data: raw)
                var buffer = [Int32](repeating: 0, count: expected.count)
                _ = try buffer.withUnsafeMutableBufferPointer {
                    try decoder.decodeIndices(into: $0, dictionaryCount: dictionaryCount - 1)
                }
            }
        }
    }

    /// Kept positions only, in calls that cut runs anywhere: pyarrow's indices at those positions.
    @Test(arguments: [1, 3, 7, 64, 1000])
    func decodesSelectedPyarrowDictionaryIndices(step: Int) throws {
        let expected = PyarrowFixtures.dictionaryIndexValues
        var decoded: [UInt32] = []
        var wanted: [UInt32] = []
        try PyarrowFixtures.dictionaryIndices.withUnsafeBytes { raw in
            var decoder = try RLEBitPackedHybridDecoder.dictionaryIndices(data: raw)
            var start = 0
            var call = 0
            while start < expected.count {
                // Calls of 1...37 values keeping every `step`-th value of the call plus its last.
                let count = min(call % 37 + 1, expected.count - start)
                call += 1
                var positions = Array(stride(from: Int32(0), to: Int32(count), by: step))
                if positions.last != Int32(count - 1) { positions.append(Int32(count - 1)) }
                var out = [UInt32](repeating: 0, count: positions.count)
                let got = try positions.withUnsafeBufferPointer { kept in
                    try out.withUnsafeMutableBufferPointer { try decoder.decodeSelected(count, positions: kept, into: $0.baseAddress!) }
                }
                #expect(got == count)
                decoded += out
                wanted += positions.map { expected[start + Int($0)] }
                start += count
            }
        }
        #expect(decoded == wanted)
    }

    @Test func decodesPyarrowRLEBooleans() throws {
        // RLE booleans carry the 4-byte length even in v2 pages.
        let expected = PyarrowFixtures.booleanValues.map { UInt8($0 ? 1 : 0) }
        try PyarrowFixtures.rleBooleans.withUnsafeBytes { raw in
            var (decoder, byteCount) = try RLEBitPackedHybridDecoder.levelsV1(bitWidth: 1, data: raw)
            #expect(byteCount == raw.count)
            var out = [UInt8](repeating: 0, count: expected.count)
            #expect(try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) } == expected.count)
            #expect(out == expected)
        }
    }

    @Test func keepsLongRunsAcrossCalls() throws {
        // RLE run of 1000 sevens (header 2000 = d0 0f), then 300 zeros.
        let data: [UInt8] = [0xd0, 0x0f, 0x07, 0xd8, 0x04, 0x00]
        let decoded = try decodeHybrid(data, bitWidth: 3, batch: 333, as: UInt32.self)
        #expect(decoded == [UInt32](repeating: 7, count: 1000) + [UInt32](repeating: 0, count: 300))
        // Wide values: a 32-bit RLE value in 4 bytes.
        let wide: [UInt8] = [0x04, 0x78, 0x56, 0x34, 0x12]
        #expect(try decodeHybrid(wide, bitWidth: 32, as: UInt32.self) == [0x1234_5678, 0x1234_5678])
    }

    @Test func handlesBitWidthZero() throws {
        // An RLE run of 5 (no value bytes) and a bit-packed run of 2 groups (no bytes).
        let data: [UInt8] = [0x0a, 0x05]
        #expect(try decodeHybrid(data, bitWidth: 0, as: Int16.self) == [Int16](repeating: 0, count: 21))
    }

    @Test func skipsAcrossRuns() throws {
        let data: [UInt8] = [0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010, 0x06, 0x05]
        try data.withUnsafeBytes { raw in
            var decoder = try RLEBitPackedHybridDecoder(bitWidth: 3, data: raw)
            #expect(try decoder.skip(3) == 3)
            var out = [UInt32](repeating: 0, count: 4)
            #expect(try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) } == 4)
            #expect(out == [3, 4, 5, 6])
            #expect(try decoder.skip(2) == 2)
            #expect(try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) } == 2)
            #expect(Array(out.prefix(2)) == [5, 5])
            #expect(try decoder.skip(10) == 0)
        }
    }

    @Test func acceptsATruncatedFinalBitPackedRun() throws {
        // Header says 2 groups (16 values of 3 bits = 6 bytes) but only 4 bytes follow: the 10
        // whole values present are returned, as arrow-rs and Arrow C++ do.
        let data: [UInt8] = [0x05, 0b1000_1000, 0b1100_0110, 0b1111_1010, 0b0000_0001]
        #expect(try decodeHybrid(data, bitWidth: 3, as: UInt32.self) == [0, 1, 2, 3, 4, 5, 6, 7, 1, 0])
    }

    @Test func rejectsCorruptRuns() {
        let cases: [(String, [UInt8], Int)] = [
            ("RLE value bytes missing", [0x04], 8),
            ("RLE value bytes cut short", [0x04, 0x01], 16),
            ("truncated header varint", [0x80, 0x80], 3),
            ("RLE run of 2^32 values", [0x80, 0x80, 0x80, 0x80, 0x20, 0x01], 1),
            ("bit-packed run of 2^31 groups", [0x81, 0x80, 0x80, 0x80, 0x10], 1),
            ("11-byte varint", [UInt8](repeating: 0xff, count: 11), 1),
        ]
        for (name, data, width) in cases {
            #expect(throws: ParquetError.self, "\(name)") { _ = try decodeHybrid(data, bitWidth: width, as: UInt32.self) }
        }
        #expect(throws: ParquetError.self) { _ = try decodeHybrid([], bitWidth: 33, as: UInt32.self) }
        #expect(throws: ParquetError.self) { _ = try decodeHybrid([0x02, 0x01], bitWidth: 9, as: UInt8.self) }
        #expect(throws: ParquetError.self) {
            _ = try [UInt8]([9, 0, 0, 0, 0x02]).withUnsafeBytes { try RLEBitPackedHybridDecoder.levelsV1(bitWidth: 1, data: $0) }
        }
    }

    @Test func survivesRandomInput() {
        var rng = SeededGenerator(seed: 42)
        for round in 0..<4000 {
            let data = randomBytes(Int(rng.next() % 40), using: &rng)
            let width = Int(rng.next() % 33)
            // Either outcome is fine; a trap or a hang is not.
            _ = try? decodeHybrid(data, bitWidth: width, batch: 1 + round % 97, limit: 5000, as: UInt32.self)
            _ = try? decodeHybrid(data, bitWidth: min(width, 16), batch: 50, limit: 5000, as: Int16.self)
            _ = try? data.withUnsafeBytes { raw in
                var decoder = try RLEBitPackedHybridDecoder.dictionaryIndices(data: raw)
                var buffer = [UInt32](repeating: 0, count: 64)
                _ = try buffer.withUnsafeMutableBufferPointer { try decoder.decodeIndices(into: $0, dictionaryCount: 10) }
                _ = try decoder.skip(1000)
            }
        }
    }
}
