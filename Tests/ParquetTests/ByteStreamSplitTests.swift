import Columnar
import Testing
@testable import Parquet

func decodeSplit(_ data: [UInt8], byteWidth: Int, range: Range<Int>? = nil) throws -> [UInt8] {
    let range = range ?? 0..<(data.count / max(byteWidth, 1))
    var out = [UInt8](repeating: 0, count: range.count * byteWidth)
    try data.withUnsafeBytes { raw in
        try out.withUnsafeMutableBytes { try ByteStreamSplit.decode(raw, byteWidth: byteWidth, range: range, into: $0.baseAddress!) }
    }
    return out
}

func encodeSplit(_ plain: [UInt8], byteWidth: Int) -> [UInt8] {
    built { output in plain.withUnsafeBytes { ByteStreamSplit.encode($0, byteWidth: byteWidth, into: &output) } }
}

@Suite struct ByteStreamSplitTests {
    /// Encodings.md: three 32-bit floats AA BB CC DD, 00 11 22 33, A3 B4 C5 D6 become
    /// AA 00 A3 BB 11 B4 CC 22 C5 DD 33 D6.
    static let plain: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6]
    static let split: [UInt8] = [0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6]

    @Test func followsTheSpecExample() throws {
        #expect(encodeSplit(Self.plain, byteWidth: 4) == Self.split)
        #expect(try decodeSplit(Self.split, byteWidth: 4) == Self.plain)
        #expect(try decodeSplit(Self.split, byteWidth: 4, range: 1..<3) == Array(Self.plain[4...]))
    }

    @Test func decodesPyarrowPages() throws {
        let floats = try decodeSplit(PyarrowFixtures.splitFloats, byteWidth: 4)
        #expect(floats.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } == PyarrowFixtures.floatValues)
        let doubles = try decodeSplit(PyarrowFixtures.splitDoubles, byteWidth: 8)
        #expect(doubles.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) } == PyarrowFixtures.doubleValues)
        #expect(try decodeSplit(PyarrowFixtures.splitFixed, byteWidth: 3) == PyarrowFixtures.fixedValues)
        // And the other way round.
        let floatBytes = PyarrowFixtures.floatValues.withUnsafeBytes { Array($0) }
        #expect(encodeSplit(floatBytes, byteWidth: 4) == PyarrowFixtures.splitFloats)
        let doubleBytes = PyarrowFixtures.doubleValues.withUnsafeBytes { Array($0) }
        #expect(encodeSplit(doubleBytes, byteWidth: 8) == PyarrowFixtures.splitDoubles)
        #expect(encodeSplit(PyarrowFixtures.fixedValues, byteWidth: 3) == PyarrowFixtures.splitFixed)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 8, 12, 16])
    func roundTripsInPieces(byteWidth: Int) throws {
        var rng = SeededGenerator(seed: UInt64(byteWidth))
        for count in boundarySizes {
            let plain = randomBytes(count * byteWidth, using: &rng)
            let encoded = encodeSplit(plain, byteWidth: byteWidth)
            #expect(encoded.count == plain.count)
            #expect(try decodeSplit(encoded, byteWidth: byteWidth) == plain)
            if count > 3 {
                let middle = 1..<(count - 2)
                #expect(try decodeSplit(encoded, byteWidth: byteWidth, range: middle)
                        == Array(plain[(byteWidth * middle.lowerBound)..<(byteWidth * middle.upperBound)]))
            }
        }
    }

    @Test func rejectsBadLengthsAndRanges() {
        #expect(throws: ParquetError.self) { _ = try decodeSplit([1, 2, 3, 4, 5], byteWidth: 4, range: 0..<1) }
        #expect(throws: ParquetError.self) { _ = try decodeSplit(Self.split, byteWidth: 4, range: 2..<4) }
        #expect(throws: ParquetError.self) { _ = try decodeSplit(Self.split, byteWidth: 0, range: 0..<0) }
    }
}
