import Columnar
import Testing
@testable import Parquet

func decodeDeltaLength(_ data: [UInt8], count: Int, batch: Int = 1000) throws -> [[UInt8]] {
    try data.withUnsafeBytes { raw in
        var decoder = try DeltaLengthByteArrayDecoder(data: raw)
        return try decodeByteArrays(count: count, batch: batch) { try decoder.decode(count: $0, offsets: &$1, values: &$2) }
    }
}

@Suite struct DeltaLengthByteArrayDecoderTests {
    /// Encodings.md: "Hello", "World", "Foobar", "ABCDEF" is DeltaEncoding(5, 5, 6, 6) followed by
    /// "HelloWorldFoobarABCDEF". The lengths with the spec's 8-value blocks: header 8, 1, 4,
    /// zigzag(5) = 10; deltas 0, 1, 0 have min delta 0 and pack on 1 bit as 0b010.
    static let example: [UInt8] = [8, 1, 4, 10, 0, 1, 0b0000_0010] + Array("HelloWorldFoobarABCDEF".utf8)

    @Test func decodesTheSpecExample() throws {
        for batch in [1, 3, 4] {
            #expect(try decodeDeltaLength(Self.example, count: 4, batch: batch).map { String(decoding: $0, as: UTF8.self) }
                    == ["Hello", "World", "Foobar", "ABCDEF"])
        }
        try Self.example.withUnsafeBytes { raw in
            var decoder = try DeltaLengthByteArrayDecoder(data: raw)
            var offsets = BufferBuilder()
            var values = BufferBuilder()
            try decoder.decode(count: 4, offsets: &offsets, values: &values)
            #expect(decoder.consumedByteCount == raw.count)
            #expect(decoder.remainingValueCount == 0)
        }
    }

    @Test(arguments: [1, 7, 100, 1024])
    func decodesPyarrowPage(batch: Int) throws {
        let expected = PyarrowFixtures.stringValues.map { Array($0.utf8) }
        #expect(try decodeDeltaLength(PyarrowFixtures.deltaLengthStrings, count: expected.count, batch: batch) == expected)
    }

    @Test func appendsAfterExistingValues() throws {
        // Offsets continue from the bytes already in the builder, as for a second page of a chunk.
        try Self.example.withUnsafeBytes { raw in
            var decoder = try DeltaLengthByteArrayDecoder(data: raw)
            var offsets = BufferBuilder()
            var values = BufferBuilder()
            offsets.append(Int32(0))
            offsets.append(Int32(3))
            values.append(contentsOf: Array("xyz".utf8))
            try decoder.decode(count: 2, offsets: &offsets, values: &values)
            try decoder.skip(count: 1)
            try decoder.decode(count: 1, offsets: &offsets, values: &values)
            #expect(offsets.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) } == [0, 3, 8, 13, 19])
            #expect(String(decoding: values.bytes(), as: UTF8.self) == "xyzHelloWorldABCDEF")
        }
    }

    @Test func rejectsCorruptData() {
        // Too many values requested, bytes missing, a negative length.
        #expect(throws: ParquetError.self) { _ = try decodeDeltaLength(Self.example, count: 5) }
        #expect(throws: ParquetError.self) { _ = try decodeDeltaLength(Array(Self.example.dropLast()), count: 4) }
        let negative: [UInt8] = [8, 1, 2, 2, 3, 0] // lengths 1, then 1 + min delta -2 = -1
        #expect(throws: ParquetError.self) { _ = try decodeDeltaLength(negative + [0x41], count: 2) }
        // Nothing is appended when a batch fails.
        Self.example.dropLast().withUnsafeBytes { raw in
            var offsets = BufferBuilder()
            var values = BufferBuilder()
            var decoder = try? DeltaLengthByteArrayDecoder(data: raw)
            #expect(throws: ParquetError.self) { try decoder?.decode(count: 4, offsets: &offsets, values: &values) }
            #expect(offsets.count == 0 && values.count == 0)
        }
    }

    @Test func survivesRandomInput() {
        var rng = SeededGenerator(seed: 11)
        let page = PyarrowFixtures.deltaLengthStrings
        for round in 0..<2000 {
            var data = randomBytes(Int(rng.next() % 80), using: &rng)
            if round % 3 == 0 { data = Array(page.prefix(Int(rng.next() % UInt64(page.count)))) }
            if round % 3 == 1 {
                data = page
                data[Int(rng.next() % UInt64(data.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            _ = try? decodeDeltaLength(data, count: Int(rng.next() % 300), batch: 1 + round % 64)
        }
    }
}
