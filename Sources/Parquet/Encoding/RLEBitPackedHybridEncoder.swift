import Columnar

/// Encodes values with the RLE / bit-packed hybrid encoding (`RLE = 3`), choosing runs as
/// parquet-mr's `RunLengthBitPackingHybridEncoder` and Arrow's `RleEncoder` do, so that the bytes
/// match theirs.
///
/// Values are collected in groups of eight. A value repeated at least eight times becomes an RLE
/// run; everything else is bit-packed, group by group, into runs of at most 63 groups so that the
/// run header fits the one byte reserved for it before the groups are written.
///
/// The encoder writes into the `BufferBuilder` passed to each call and patches run headers in it,
/// so all calls up to `finish(to:)` must receive the same builder.
public struct RLEBitPackedHybridEncoder {
    /// Bits per value, 0...32.
    public let bitWidth: Int
    let mask: UInt32
    var buffered: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
    var bufferedCount = 0
    var previous: UInt32 = 0
    var repeatCount = 0
    /// Groups in the open bit-packed run, and where its header byte is reserved (-1: no open run).
    var groupCount = 0
    var headerOffset = -1

    public init(bitWidth: Int) {
        precondition(bitWidth >= 0 && bitWidth <= 32, "bit width \(bitWidth) out of range 0...32")
        self.bitWidth = bitWidth
        mask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(bitWidth)) - 1)
    }

    /// Smallest bit width that holds every value in `0...maxValue` (0 for 0).
    public static func bitWidth(forMaxValue maxValue: Int) -> Int {
        BitPacking.bitWidth(of: UInt64(max(maxValue, 0)))
    }

    /// Appends one value; only its low `bitWidth` bits are kept.
    @inline(__always)
    public mutating func append(_ value: UInt32, to output: inout BufferBuilder) {
        let value = value & mask
        if value == previous {
            repeatCount &+= 1
            if repeatCount >= 8 {
                // Values of the run past the eighth are only counted.
                if repeatCount == Int(Int32.max) { writeRepeatRun(to: &output) }
                return
            }
        } else {
            if repeatCount >= 8 { writeRepeatRun(to: &output) }
            repeatCount = 1
            previous = value
        }
        withUnsafeMutableBytes(of: &buffered) {
            $0.storeBytes(of: value, toByteOffset: bufferedCount &* 4, as: UInt32.self)
        }
        bufferedCount &+= 1
        if bufferedCount == 8 { writeGroup(to: &output) }
    }

    /// Appends every value of `values`.
    public mutating func append<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, to output: inout BufferBuilder) {
        for value in values { append(UInt32(truncatingIfNeeded: value), to: &output) }
    }

    /// Writes what is buffered and closes the open run; the last bit-packed group is padded with
    /// zeros. The encoder is then ready to start a new, independent sequence.
    public mutating func finish(to output: inout BufferBuilder) {
        if repeatCount >= 8 {
            writeRepeatRun(to: &output)
        } else if bufferedCount > 0 {
            withUnsafeMutableBytes(of: &buffered) { raw in
                for i in bufferedCount..<8 { raw.storeBytes(of: UInt32(0), toByteOffset: i &* 4, as: UInt32.self) }
            }
            writeGroup(to: &output)
            endPackedRun(in: &output)
        } else {
            endPackedRun(in: &output)
        }
        bufferedCount = 0
        previous = 0
        repeatCount = 0
    }

    // MARK: - Whole sequences

    /// Encodes `values` without a length prefix, the layout of data page v2 levels. Returns the
    /// number of bytes written.
    @discardableResult
    public static func encodeLevelsV2<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, bitWidth: Int, into output: inout BufferBuilder
    ) -> Int {
        let start = output.count
        if values.count >= 8, let first = values.first, values.allSatisfy({ $0 == first }) {
            // One value repeated (levels of a page without nulls, an all-null page): a single
            // RLE run, without the value-by-value run detection (8 or more, as parquet-mr would).
            Varint.appendULEB128(UInt64(values.count) << 1, to: &output)
            let value = UInt64(truncatingIfNeeded: first)
            for byte in 0..<((bitWidth + 7) / 8) { output.append(UInt8(truncatingIfNeeded: value >> (8 * byte))) }
            return output.count &- start
        }
        var encoder = RLEBitPackedHybridEncoder(bitWidth: bitWidth)
        encoder.append(values, to: &output)
        encoder.finish(to: &output)
        return output.count &- start
    }

    /// Encodes `values` after a 4-byte little-endian length, the layout of data page v1 levels and
    /// of RLE-encoded booleans. Returns the number of bytes written, prefix included.
    @discardableResult
    public static func encodeLevelsV1<T: FixedWidthInteger>(
        _ values: UnsafeBufferPointer<T>, bitWidth: Int, into output: inout BufferBuilder
    ) -> Int {
        let prefixOffset = output.count
        output.append(UInt32(0))
        let length = encodeLevelsV2(values, bitWidth: bitWidth, into: &output)
        output.store(UInt32(truncatingIfNeeded: length).littleEndian, at: prefixOffset)
        return 4 &+ length
    }

    /// Encodes dictionary indices as an `RLE_DICTIONARY` data page body: the bit width in one
    /// byte, then the hybrid data. Returns the number of bytes written.
    @discardableResult
    public static func encodeDictionaryIndices<T: FixedWidthInteger>(
        _ indices: UnsafeBufferPointer<T>, bitWidth: Int, into output: inout BufferBuilder
    ) -> Int {
        output.append(UInt8(bitWidth))
        return 1 &+ encodeLevelsV2(indices, bitWidth: bitWidth, into: &output)
    }

    // MARK: - Runs

    mutating func writeGroup(to output: inout BufferBuilder) {
        if groupCount >= 63 { endPackedRun(in: &output) }
        if headerOffset < 0 {
            headerOffset = output.count
            output.append(UInt8(0))
        }
        var group = buffered
        let width = bitWidth
        withUnsafeBytes(of: &group) { values in
            output.appendUninitialized(maxByteCount: width) { raw in
                if width > 0 {
                    BitPacking.pack(values.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                    count: 8, bitWidth: width, into: raw.baseAddress!)
                }
                return width
            }
        }
        bufferedCount = 0
        // The values just packed may start a repeat, but it is counted from the next value on.
        repeatCount = 0
        groupCount &+= 1
    }

    mutating func writeRepeatRun(to output: inout BufferBuilder) {
        endPackedRun(in: &output)
        Varint.appendULEB128(UInt64(repeatCount) &<< 1, to: &output)
        var value = previous
        for _ in 0..<((bitWidth &+ 7) &>> 3) {
            output.append(UInt8(truncatingIfNeeded: value))
            value &>>= 8
        }
        repeatCount = 0
        bufferedCount = 0
    }

    mutating func endPackedRun(in output: inout BufferBuilder) {
        guard headerOffset >= 0 else { return }
        output.store(UInt8(truncatingIfNeeded: groupCount &<< 1 | 1), at: headerOffset)
        headerOffset = -1
        groupCount = 0
    }
}
