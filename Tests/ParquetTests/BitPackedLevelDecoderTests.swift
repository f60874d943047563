import Testing
@testable import Parquet

@Suite struct BitPackedLevelDecoderTests {
    /// Encodings.md, BIT_PACKED section: 0…7 with bit width 3 are "00000101 00111001 01110111".
    @Test func decodesTheSpecExample() throws {
        let bytes: [UInt8] = [0b0000_0101, 0b0011_1001, 0b0111_0111]
        var out = [Int16](repeating: -1, count: 10)
        let n = try bytes.withUnsafeBytes { raw in
            var decoder = try BitPackedLevelDecoder(bitWidth: 3, valueCount: 8, data: raw)
            return try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        }
        #expect(n == 8)
        #expect(Array(out.prefix(8)) == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    /// The spec's size rule: 30 values of 2 bits take 8 bytes. Values are written MSB first here
    /// by hand: 3, 2, 1, 0 repeated fill each byte as 11 10 01 00 = 0xE4.
    @Test func decodesInBatchesAndChecksTheSize() throws {
        #expect(BitPackedLevelDecoder.byteCount(valueCount: 30, bitWidth: 2) == 8)
        let bytes = [UInt8](repeating: 0xE4, count: 8)
        let expected = (0..<30).map { Int32(3 - $0 % 4) }
        for batch in [1, 3, 7, 30, 64] {
            var decoded: [Int32] = []
            try bytes.withUnsafeBytes { raw in
                var decoder = try BitPackedLevelDecoder(bitWidth: 2, valueCount: 30, data: raw)
                var buffer = [Int32](repeating: 0, count: batch)
                while true {
                    let n = try buffer.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
                    if n == 0 { break }
                    decoded += buffer.prefix(n)
                }
            }
            #expect(decoded == expected, "batch \(batch)")
        }
        #expect(throws: ParquetError.self) {
            try bytes.withUnsafeBytes { _ = try BitPackedLevelDecoder(bitWidth: 2, valueCount: 33, data: $0) }
        }
    }

    @Test func decodesWideValuesAcrossBytes() throws {
        // 12-bit values 0xABC, 0x123 MSB first: ABC123.
        let bytes: [UInt8] = [0xAB, 0xC1, 0x23]
        var out = [UInt16](repeating: 0, count: 2)
        _ = try bytes.withUnsafeBytes { raw in
            var decoder = try BitPackedLevelDecoder(bitWidth: 12, valueCount: 2, data: raw)
            return try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        }
        #expect(out == [0xABC, 0x123])
    }
}
