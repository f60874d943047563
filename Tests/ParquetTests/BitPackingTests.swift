import Testing
@testable import Parquet

@Suite struct BitPackingTests {
    /// Encodings.md, RLE section: "The numbers 1 through 7 using bit width 3 … would be encoded
    /// like this: 10001000 11000110 11111010".
    static let specExample: [UInt8] = [0b1000_1000, 0b1100_0110, 0b1111_1010]

    @Test func unpacksTheSpecExample() {
        var out = [UInt32](repeating: 99, count: 8)
        Self.specExample.withUnsafeBytes { BitPacking.unpack($0, count: 8, bitWidth: 3, into: &out) }
        #expect(out == [0, 1, 2, 3, 4, 5, 6, 7])
        var wide = [UInt64](repeating: 99, count: 8)
        Self.specExample.withUnsafeBytes { BitPacking.unpack($0, count: 8, bitWidth: 3, into: &wide) }
        #expect(wide == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func packsTheSpecExample() {
        let values: [UInt32] = [0, 1, 2, 3, 4, 5, 6, 7]
        var out = [UInt8](repeating: 0xee, count: 3)
        out.withUnsafeMutableBytes { BitPacking.pack(values, count: 8, bitWidth: 3, into: $0.baseAddress!) }
        #expect(out == Self.specExample)
    }

    /// Reference unpacking, one bit at a time, straight from the spec's definition.
    static func referenceUnpack(_ bytes: [UInt8], count: Int, bitWidth: Int) -> [UInt64] {
        (0..<count).map { i in
            var value: UInt64 = 0
            for b in 0..<bitWidth {
                let bit = i * bitWidth + b
                if bytes[bit / 8] >> (bit % 8) & 1 == 1 { value |= 1 << UInt64(b) }
            }
            return value
        }
    }

    @Test(arguments: 0...32)
    func roundTrips32(bitWidth: Int) {
        var rng = SeededGenerator(seed: UInt64(bitWidth))
        let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
        for count in boundarySizes {
            let values = (0..<count).map { _ in UInt32(truncatingIfNeeded: rng.next() & mask) }
            // Exactly the packed size, so the tail path without slack is exercised too.
            var packed = [UInt8](repeating: 0xff, count: BitPacking.byteCount(valueCount: count, bitWidth: bitWidth))
            packed.withUnsafeMutableBytes { raw in
                values.withUnsafeBufferPointer {
                    if count > 0 { BitPacking.pack($0.baseAddress!, count: count, bitWidth: bitWidth, into: raw.baseAddress!) }
                }
            }
            #expect(Self.referenceUnpack(packed, count: count, bitWidth: bitWidth) == values.map(UInt64.init))
            var out = [UInt32](repeating: 0xdead, count: count + 1)
            packed.withUnsafeBytes { BitPacking.unpack($0, count: count, bitWidth: bitWidth, into: &out) }
            #expect(Array(out.prefix(count)) == values, "width \(bitWidth), count \(count)")
            #expect(out[count] == 0xdead, "wrote past the end")
        }
    }

    @Test(arguments: 0...64)
    func roundTrips64(bitWidth: Int) {
        var rng = SeededGenerator(seed: 1000 + UInt64(bitWidth))
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        for count in boundarySizes {
            var values = (0..<count).map { _ in rng.next() & mask }
            if count > 2 { values[0] = mask; values[count - 1] = mask }
            let size = BitPacking.byteCount(valueCount: count, bitWidth: bitWidth)
            var packed = [UInt8](repeating: 0, count: size)
            packed.withUnsafeMutableBytes { raw in
                values.withUnsafeBufferPointer {
                    if count > 0 { BitPacking.pack($0.baseAddress!, count: count, bitWidth: bitWidth, into: raw.baseAddress!) }
                }
            }
            #expect(Self.referenceUnpack(packed, count: count, bitWidth: bitWidth) == values)
            // Unpack from a buffer with slack too, which takes the 64-bit-load path for every group.
            for slack in [0, 16] {
                let input = packed + [UInt8](repeating: 0xa5, count: slack)
                var out = [UInt64](repeating: 0, count: count)
                input.withUnsafeBytes { BitPacking.unpack($0, count: count, bitWidth: bitWidth, into: &out) }
                #expect(out == values, "width \(bitWidth), count \(count), slack \(slack)")
                for i in stride(from: 0, to: count, by: 37) {
                    let single = input.withUnsafeBytes { BitPacking.value(in: $0, atBit: i * bitWidth, bitWidth: bitWidth) }
                    #expect(single == values[i])
                }
            }
        }
    }

    @Test func packingIgnoresHighBits() {
        let values: [UInt32] = [0xffff_fff1, 0xffff_fff2]
        var out = [UInt8](repeating: 0, count: 1)
        out.withUnsafeMutableBytes { BitPacking.pack(values, count: 2, bitWidth: 4, into: $0.baseAddress!) }
        #expect(out == [0x21])
    }
}
