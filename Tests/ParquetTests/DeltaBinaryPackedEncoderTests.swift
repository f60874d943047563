import Columnar
import Testing
@testable import Parquet

func encodeDelta<Value: DeltaBinaryPackedInteger>(_ values: [Value], blockSize: Int = 128) -> [UInt8] {
    built { output in
        var encoder = DeltaBinaryPackedEncoder<Value>(blockSize: blockSize)
        values.withUnsafeBufferPointer { encoder.append($0) }
        encoder.finish(into: &output)
    }
}

@Suite struct DeltaBinaryPackedEncoderTests {
    @Test func reproducesPyarrowBytes() {
        #expect(encodeDelta(PyarrowFixtures.deltaInt32Values) == PyarrowFixtures.deltaInt32)
        // Arrow C++ writes INT64 in blocks of 256 values.
        #expect(encodeDelta(PyarrowFixtures.deltaInt64Values, blockSize: 256) == PyarrowFixtures.deltaInt64)
    }

    @Test func writesTheHeaderForEmptyAndSingleValues() {
        // Header only: block 128 (80 01), 4 miniblocks, count, zigzag first value.
        #expect(encodeDelta([Int32]()) == [0x80, 0x01, 4, 0, 0])
        #expect(encodeDelta([Int64(-3)]) == [0x80, 0x01, 4, 1, 5])
    }

    @Test func streamsInSeveralAppendsLikeOne() {
        let values = (0..<1000).map { Int64($0 * $0) - 5000 }
        var encoder = DeltaBinaryPackedEncoder<Int64>()
        values.withUnsafeBufferPointer { all in
            var start = 0
            for size in [1, 6, 200, 129, 664] {
                encoder.append(UnsafeBufferPointer(rebasing: all[start..<(start + size)]))
                start += size
            }
        }
        #expect(encoder.valueCount == 1000)
        var output = BufferBuilder()
        encoder.finish(into: &output)
        let oneGo = built { bytes in values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &bytes) } }
        #expect(output.bytes() == oneGo)
        #expect(encoder.valueCount == 0)
    }

    static func randomValues<Value: DeltaBinaryPackedInteger>(_ count: Int, _ rng: inout SeededGenerator) -> [Value] {
        (0..<count).map { i in
            switch rng.next() % 6 {
            case 0: Value.min
            case 1: Value.max
            case 2: Value(truncatingIfNeeded: i)
            case 3: Value(truncatingIfNeeded: Int64(rng.next() % 1000) - 500)
            default: Value(truncatingIfNeeded: rng.next())
            }
        }
    }

    @Test(arguments: boundarySizes + [5000])
    func roundTripsRandomValues(count: Int) throws {
        var rng = SeededGenerator(seed: UInt64(count) + 99)
        let int32: [Int32] = Self.randomValues(count, &rng)
        let encoded32 = encodeDelta(int32)
        let decoded32 = try decodeDelta(encoded32, as: Int32.self, batch: 77)
        #expect(decoded32.values == int32)
        #expect(decoded32.byteCount == encoded32.count)
        let int64: [Int64] = Self.randomValues(count, &rng)
        let encoded64 = encodeDelta(int64)
        let decoded64 = try decodeDelta(encoded64, as: Int64.self, batch: 1000)
        #expect(decoded64.values == int64)
        #expect(decoded64.byteCount == encoded64.count)
    }

    @Test(arguments: 0...64)
    func usesEveryBitWidth(bitWidth: Int) throws {
        // Deltas alternate between 0 and 2^bitWidth - 1 around a min delta of 0, so every
        // miniblock needs exactly `bitWidth` bits.
        let spread: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        var values: [Int64] = [0]
        for i in 1..<300 {
            let step = i % 2 == 0 ? spread : 0
            values.append(values[i - 1] &+ Int64(bitPattern: step))
        }
        let encoded = encodeDelta(values)
        // First block: header (80 01 04 ac 02 00 = 6 bytes), min delta, then the 4 width bytes.
        let firstWidths = encoded.dropFirst(6).drop { $0 >= 0x80 }.dropFirst().prefix(4)
        if bitWidth < 64 { #expect(Array(firstWidths) == [UInt8](repeating: UInt8(bitWidth), count: 4)) }
        #expect(try decodeDelta(encoded, as: Int64.self).values == values)
        if bitWidth <= 32 {
            let narrow = values.map { Int32(truncatingIfNeeded: $0) }
            #expect(try decodeDelta(encodeDelta(narrow), as: Int32.self).values == narrow)
        }
    }
}
