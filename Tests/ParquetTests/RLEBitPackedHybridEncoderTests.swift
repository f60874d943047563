import Columnar
import Testing
@testable import Parquet

@Suite struct RLEBitPackedHybridEncoderTests {
    /// Decodes pyarrow's hybrid data and re-encodes the values: the bytes must be pyarrow's.
    @Test func reproducesPyarrowLevelBytes() throws {
        let cases: [([UInt8], Int)] = [
            (PyarrowFixtures.definitionLevels, 1),
            (PyarrowFixtures.listRepetitionLevels, 1),
            (PyarrowFixtures.listDefinitionLevels, 2),
        ]
        for (bytes, width) in cases {
            // pyarrow pads the last bit-packed group; the encoder is given the real values only.
            let count = width == 1 && bytes == PyarrowFixtures.definitionLevels
                ? PyarrowFixtures.definitionLevelValues.count : PyarrowFixtures.listRepetitionLevelValues.count
            let levels = Array(try decodeHybrid(bytes, bitWidth: width, as: Int16.self).prefix(count))
            let encoded = built { output in
                levels.withUnsafeBufferPointer { _ = RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: width, into: &output) }
            }
            #expect(encoded == bytes)
        }
        // The expected values come from pyarrow's input directly.
        let definition = built { output in
            PyarrowFixtures.definitionLevelValues.withUnsafeBufferPointer {
                _ = RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: 1, into: &output)
            }
        }
        #expect(definition == PyarrowFixtures.definitionLevels)
        let repetition = built { output in
            PyarrowFixtures.listRepetitionLevelValues.withUnsafeBufferPointer {
                _ = RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: 1, into: &output)
            }
        }
        #expect(repetition == PyarrowFixtures.listRepetitionLevels)
        let listDefinition = built { output in
            PyarrowFixtures.listDefinitionLevelValues.withUnsafeBufferPointer {
                _ = RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: 2, into: &output)
            }
        }
        #expect(listDefinition == PyarrowFixtures.listDefinitionLevels)
    }

    @Test func reproducesPyarrowDictionaryIndicesAndBooleans() {
        let indices = built { output in
            PyarrowFixtures.dictionaryIndexValues.withUnsafeBufferPointer {
                let width = RLEBitPackedHybridEncoder.bitWidth(forMaxValue: Int($0.max()!))
                _ = RLEBitPackedHybridEncoder.encodeDictionaryIndices($0, bitWidth: width, into: &output)
            }
        }
        #expect(indices == PyarrowFixtures.dictionaryIndices)
        let booleans = built { output in
            PyarrowFixtures.booleanValues.map { UInt8($0 ? 1 : 0) }.withUnsafeBufferPointer {
                _ = RLEBitPackedHybridEncoder.encodeLevelsV1($0, bitWidth: 1, into: &output)
            }
        }
        #expect(booleans == PyarrowFixtures.rleBooleans)
    }

    @Test func writesV1LengthPrefixAfterExistingBytes() {
        var output = BufferBuilder()
        output.append(contentsOf: [0xAA, 0xBB])
        let levels: [UInt8] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
        let written = levels.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encodeLevelsV1($0, bitWidth: 1, into: &output) }
        // RLE run of 10 ones: header 20, value byte 1.
        #expect(output.bytes() == [0xAA, 0xBB, 2, 0, 0, 0, 20, 1])
        #expect(written == 6)
    }

    @Test func choosesRunsLikeParquetMr() {
        // Eight repeats make an RLE run; seven stay bit-packed; a long literal stretch is split
        // into bit-packed runs of at most 63 groups.
        let eight = [UInt32](repeating: 5, count: 8)
        #expect(built { o in eight.withUnsafeBufferPointer { _ = RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: 3, into: &o) } }
                == [16, 5])
        let seven = [UInt32](repeating: 5, count: 7)
        // Seven fives stay one bit-packed group, padded with a zero.
        var packed = [UInt8](repeating: 0, count: 3)
        (seven + [0]).withUnsafeBufferPointer { BitPacking.pack($0.baseAddress!, count: 8, bitWidth: 3, into: &packed) }
        #expect(built { o in seven.withUnsafeBufferPointer { _ = RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: 3, into: &o) } }
                == [3] + packed)
        let literals = (0..<(64 * 8)).map { UInt32($0 % 2) }
        let encoded = built { o in literals.withUnsafeBufferPointer { _ = RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: 1, into: &o) } }
        #expect(encoded.count == 1 + 63 + 1 + 1)
        #expect(encoded[0] == 63 << 1 | 1)
        #expect(encoded[64] == 1 << 1 | 1)
    }

    @Test(arguments: [0, 1, 2, 3, 5, 8, 13, 16, 20, 31, 32])
    func roundTrips(bitWidth: Int) throws {
        var rng = SeededGenerator(seed: UInt64(bitWidth) + 7)
        let mask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(bitWidth)) - 1)
        for count in boundarySizes + [5000] {
            // Mixed stretches of repeats and noise, so that both run kinds and their switches occur.
            var values: [UInt32] = []
            while values.count < count {
                let stretch = min(Int(rng.next() % 40) + 1, count - values.count)
                if rng.next() % 2 == 0 {
                    values += [UInt32](repeating: UInt32(truncatingIfNeeded: rng.next()) & mask, count: stretch)
                } else {
                    values += (0..<stretch).map { _ in UInt32(truncatingIfNeeded: rng.next()) & mask }
                }
            }
            if count > 1 { values[0] = mask }
            let encoded = built { o in values.withUnsafeBufferPointer { _ = RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: bitWidth, into: &o) } }
            for batch in [1, 8, 100] {
                let decoded = try decodeHybrid(encoded, bitWidth: bitWidth, batch: batch, as: UInt32.self)
                #expect(Array(decoded.prefix(count)) == values, "width \(bitWidth), count \(count), batch \(batch)")
                #expect(decoded.count - count < 8)
            }
        }
    }

    @Test func masksValuesToTheBitWidth() throws {
        let values: [UInt32] = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f1]
        let encoded = built { o in values.withUnsafeBufferPointer { _ = RLEBitPackedHybridEncoder.encodeLevelsV2($0, bitWidth: 2, into: &o) } }
        #expect(Array(try decodeHybrid(encoded, bitWidth: 2, as: UInt32.self).prefix(9)) == [3, 3, 3, 3, 3, 3, 3, 3, 1])
    }
}
