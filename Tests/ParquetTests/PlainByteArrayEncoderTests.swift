import Columnar
import Testing
@testable import Parquet

@Suite struct PlainByteArrayEncoderTests {
    @Test func reproducesPyarrowBytes() {
        let strings = PyarrowFixtures.stringValues.map { Array($0.utf8) }
        #expect(encodeByteArrays(strings) { PlainByteArrayEncoder.encode(offsets: $0, data: $1, into: &$2) }
                == PyarrowFixtures.plainStrings)
    }

    @Test(arguments: boundarySizes)
    func roundTrips(count: Int) throws {
        var rng = SeededGenerator(seed: UInt64(count) + 17)
        let values = (0..<count).map { _ in randomBytes(Int(rng.next() % 40), using: &rng) }
        let encoded = encodeByteArrays(values) { PlainByteArrayEncoder.encode(offsets: $0, data: $1, into: &$2) }
        #expect(try decodePlainStrings(encoded, count: count, batch: 64) == values)
    }
}
