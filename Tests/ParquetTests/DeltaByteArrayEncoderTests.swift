import Columnar
import Testing
@testable import Parquet

@Suite struct DeltaByteArrayEncoderTests {
    @Test func reproducesTheSpecSegments() throws {
        // The spec's segments with real 128-value blocks: prefixes 0, 2, 0, 3, suffix lengths 4, 2, 6, 5.
        let encoded = encodeByteArrays(DeltaByteArrayDecoderTests.exampleValues) {
            DeltaByteArrayEncoder.encode(offsets: $0, data: $1, into: &$2)
        }
        let prefixes = encodeDelta([Int32]([0, 2, 0, 3]))
        let suffixes = encodeDelta([Int32]([4, 2, 6, 5]))
        #expect(encoded == prefixes + suffixes + Array("axislebabbleyhood".utf8))
    }

    @Test func reproducesPyarrowBytes() {
        let strings = PyarrowFixtures.stringValues.map { Array($0.utf8) }
        #expect(encodeByteArrays(strings) { DeltaByteArrayEncoder.encode(offsets: $0, data: $1, into: &$2) }
                == PyarrowFixtures.deltaStrings)
        let sorted = PyarrowFixtures.sortedStringValues.map { Array($0.utf8) }
        #expect(encodeByteArrays(sorted) { DeltaByteArrayEncoder.encode(offsets: $0, data: $1, into: &$2) }
                == PyarrowFixtures.deltaSortedStrings)
        let fixed = built { output in
            PyarrowFixtures.fixedValues.withUnsafeBytes {
                DeltaByteArrayEncoder.encode(fixedWidthValues: $0, byteWidth: 3, into: &output)
            }
        }
        #expect(fixed == PyarrowFixtures.deltaFixed)
    }

    @Test(arguments: boundarySizes)
    func roundTrips(count: Int) throws {
        var rng = SeededGenerator(seed: UInt64(count) + 5)
        // Values sharing prefixes of all lengths, including whole values and empty ones.
        var values: [[UInt8]] = []
        for _ in 0..<count {
            let previous = values.last ?? []
            let keep = previous.isEmpty ? 0 : Int(rng.next() % UInt64(previous.count + 1))
            values.append(Array(previous.prefix(keep)) + randomBytes(Int(rng.next() % 20), using: &rng))
        }
        let encoded = encodeByteArrays(values) { DeltaByteArrayEncoder.encode(offsets: $0, data: $1, into: &$2) }
        #expect(try decodeDeltaStrings(encoded, count: count, batch: 50) == values)
    }

    @Test func findsLongCommonPrefixes() {
        let a = [UInt8](repeating: 7, count: 40) + [1]
        let b = [UInt8](repeating: 7, count: 40) + [2, 3]
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in
            #expect(DeltaByteArrayEncoder.commonPrefixLength(x, y) == 40)
            #expect(DeltaByteArrayEncoder.commonPrefixLength(UnsafeRawBufferPointer(rebasing: x[..<13]), y) == 13)
        } }
    }
}
