/// Decodes levels written with the deprecated `BIT_PACKED = 4` encoding.
///
/// Unlike the RLE/bit-packed hybrid, values are packed from the most significant bit of each byte
/// ("this implementation packs values from the most significant bit to the least significant
/// bit", Encodings.md), back to back without runs or a length prefix; the level section of a v1
/// page is exactly `ceil(valueCount * bitWidth / 8)` bytes (see `byteCount(valueCount:bitWidth:)`).
///
/// The decoder borrows `data`: the caller keeps those bytes alive while decoding.
public struct BitPackedLevelDecoder {
    /// Bits per value, 0...32.
    public let bitWidth: Int
    let data: UnsafeRawBufferPointer
    /// Values that the data holds, and how many were read.
    let valueCount: Int
    var index = 0

    /// A decoder for `valueCount` values at the start of `data`; throws if `data` is too short.
    public init(bitWidth: Int, valueCount: Int, data: UnsafeRawBufferPointer) throws(ParquetError) {
        guard bitWidth >= 0 && bitWidth <= 32 else {
            throw .corrupt("BIT_PACKED bit width \(bitWidth) is outside 0...32")
        }
        guard valueCount >= 0 && valueCount <= Int(Int32.max) else {
            throw .corrupt("BIT_PACKED value count \(valueCount) is out of range")
        }
        let needed = Self.byteCount(valueCount: valueCount, bitWidth: bitWidth)
        guard needed <= data.count else {
            throw .corrupt("BIT_PACKED levels need \(needed) bytes, \(data.count) available")
        }
        self.bitWidth = bitWidth
        self.valueCount = valueCount
        self.data = UnsafeRawBufferPointer(rebasing: data[..<needed])
    }

    /// Bytes that `valueCount` values occupy.
    public static func byteCount(valueCount: Int, bitWidth: Int) -> Int {
        BitPacking.byteCount(valueCount: valueCount, bitWidth: bitWidth)
    }

    /// Decodes up to `output.count` values and returns how many were written; fewer means all
    /// `valueCount` values have been read.
    public mutating func decode<T: FixedWidthInteger>(into output: UnsafeMutableBufferPointer<T>) throws(ParquetError) -> Int {
        guard bitWidth <= T.bitWidth else {
            throw .invalidArgument("cannot decode \(bitWidth)-bit values into \(T.self)")
        }
        let n = min(output.count, valueCount &- index)
        guard n > 0 else { return 0 }
        let bytes = data.baseAddress!
        let mask: UInt64 = (1 &<< UInt64(bitWidth)) &- 1
        var bit = index &* bitWidth
        for i in 0..<n {
            // Gather the (at most five) bytes that hold the value, most significant first.
            let first = bit &>> 3
            let last = (bit &+ bitWidth &- 1) &>> 3
            var word: UInt64 = 0
            var byte = first
            while byte <= last {
                word = word &<< 8 | UInt64(bytes.load(fromByteOffset: byte, as: UInt8.self))
                byte &+= 1
            }
            let unusedLowBits = (last &+ 1) &* 8 &- (bit &+ bitWidth)
            output[i] = bitWidth == 0 ? 0 : T(truncatingIfNeeded: (word &>> UInt64(unusedLowBits)) & mask)
            bit &+= bitWidth
        }
        index &+= n
        return n
    }
}
