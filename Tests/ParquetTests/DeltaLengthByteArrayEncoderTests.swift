import Columnar
import Testing
@testable import Parquet

func encodeByteArrays(_ values: [[UInt8]], _ encode: (UnsafeBufferPointer<Int32>, UnsafeRawBufferPointer, inout BufferBuilder) -> Void) -> [UInt8] {
    let (offsets, data) = arrowLayout(values)
    return built { output in
        offsets.withUnsafeBufferPointer { o in data.withUnsafeBytes { d in encode(o, d, &output) } }
    }
}

@Suite struct DeltaLengthByteArrayEncoderTests {
    @Test func reproducesPyarrowBytes() {
        let values = PyarrowFixtures.stringValues.map { Array($0.utf8) }
        #expect(encodeByteArrays(values) { DeltaLengthByteArrayEncoder.encode(offsets: $0, data: $1, into: &$2) }
                == PyarrowFixtures.deltaLengthStrings)
    }

    @Test(arguments: boundarySizes)
    func roundTrips(count: Int) throws {
        var rng = SeededGenerator(seed: UInt64(count))
        let values = (0..<count).map { _ in randomBytes(Int(rng.next() % 50), using: &rng) }
        let encoded = encodeByteArrays(values) { DeltaLengthByteArrayEncoder.encode(offsets: $0, data: $1, into: &$2) }
        #expect(try decodeDeltaLength(encoded, count: count, batch: 100) == values)
    }

    @Test func encodesAnOffsetSlice() throws {
        // Offsets need not start at zero (a sliced Arrow array).
        let data = Array("..HelloWorld".utf8)
        let offsets: [Int32] = [2, 7, 12]
        let encoded = built { output in
            offsets.withUnsafeBufferPointer { o in data.withUnsafeBytes { DeltaLengthByteArrayEncoder.encode(offsets: o, data: $0, into: &output) } }
        }
        #expect(try decodeDeltaLength(encoded, count: 2) == [Array("Hello".utf8), Array("World".utf8)])
    }
}
