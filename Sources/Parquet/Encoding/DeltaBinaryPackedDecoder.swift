/// The integer types that DELTA_BINARY_PACKED stores: `Int32` (INT32 columns) and `Int64` (INT64).
public protocol DeltaBinaryPackedInteger: FixedWidthInteger, SignedInteger, BitwiseCopyable, Sendable {}
extension Int32: DeltaBinaryPackedInteger {}
extension Int64: DeltaBinaryPackedInteger {}

/// Decodes `DELTA_BINARY_PACKED = 5` data into `Int32` or `Int64` values.
///
/// Layout (Encodings.md): a header `<block size> <miniblocks per block> <total value count>
/// <first value>` (ULEB128, the last zigzag), then blocks of `<min delta (zigzag)> <one bit-width
/// byte per miniblock> <miniblocks>`, each miniblock `values per miniblock` deltas minus the min
/// delta, bit-packed LSB-first. All arithmetic wraps, as the spec requires.
///
/// Readers are lenient where it costs nothing: the block size need only be a positive multiple of
/// the miniblock count with a multiple of 8 values per miniblock (the spec's examples use 8; real
/// writers use 128 and 32), and bit widths and bodies of miniblocks after the last value are never
/// read. A miniblock that holds needed values must have its bytes for them; a width above the
/// value's bit size is corrupt.
///
/// `consumedByteCount` tells where the encoded data ends once every value has been decoded (or
/// after `skipToEnd()`), which DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY need. The decoder
/// borrows `data`: the caller keeps those bytes alive while decoding.
public struct DeltaBinaryPackedDecoder<Value: DeltaBinaryPackedInteger> {
    /// Values in the encoded data, from the header.
    public let totalValueCount: Int
    let valuesPerBlock: Int
    let miniblocksPerBlock: Int
    let valuesPerMiniblock: Int

    var cursor: ByteCursor
    /// Values not yet returned.
    var valuesLeft: Int
    /// Whether the first value (stored in the header) is still to be returned.
    var firstPending = true
    var last: Value
    var minDelta: Value = 0
    /// Offset of the current block's bit-width bytes and the index of the next miniblock in it.
    var widthsOffset = 0
    var nextMiniblock = 0
    /// The current miniblock: width, values left in it, and where its bytes end.
    var width = 0
    var miniblockValuesLeft = 0
    var miniblockEnd = 0

    /// Reads the header; throws if it is truncated or inconsistent.
    public init(data: UnsafeRawBufferPointer) throws(ParquetError) {
        cursor = ByteCursor(data)
        let blockSize = try cursor.readULEB128("DELTA_BINARY_PACKED block size")
        let miniblocks = try cursor.readULEB128("DELTA_BINARY_PACKED miniblock count")
        let total = try cursor.readULEB128("DELTA_BINARY_PACKED value count")
        let first = try cursor.readZigZag("DELTA_BINARY_PACKED first value")
        guard blockSize > 0, blockSize <= UInt64(Int32.max), miniblocks > 0, miniblocks <= blockSize,
              blockSize % miniblocks == 0, (blockSize / miniblocks) % 8 == 0
        else {
            throw .corrupt("DELTA_BINARY_PACKED block size \(blockSize) with \(miniblocks) miniblocks is invalid")
        }
        guard total <= UInt64(Int32.max) else {
            throw .corrupt("DELTA_BINARY_PACKED value count \(total) is out of range")
        }
        valuesPerBlock = Int(blockSize)
        miniblocksPerBlock = Int(miniblocks)
        valuesPerMiniblock = valuesPerBlock / miniblocksPerBlock
        totalValueCount = Int(total)
        valuesLeft = totalValueCount
        last = Value(truncatingIfNeeded: first)
    }

    /// Values not yet decoded.
    public var remainingValueCount: Int { valuesLeft }

    /// Bytes from the start of the data to the end of what has been decoded; once every value is
    /// decoded, the size of the encoded data (the last miniblock counted in full, padding included).
    public var consumedByteCount: Int { cursor.position }

    /// Decodes up to `output.count` values and returns how many were written; fewer means every
    /// value has been decoded.
    public mutating func decode(into output: UnsafeMutableBufferPointer<Value>) throws(ParquetError) -> Int {
        guard let out = output.baseAddress else { return 0 }
        let wanted = min(output.count, valuesLeft)
        var produced = 0
        if wanted > 0 && firstPending {
            out[0] = last
            firstPending = false
            valuesLeft &-= 1
            produced = 1
        }
        while produced < wanted {
            if miniblockValuesLeft == 0 { try startMiniblock() }
            let n = min(wanted &- produced, miniblockValuesLeft)
            let run = cursor.bytes(from: cursor.position)
            let dst = out + produced
            let inGroup = (valuesPerMiniblock &- miniblockValuesLeft) & 7
            var count: Int
            if n >= 8 && inGroup == 0 {
                // Whole groups of 8 start on a byte boundary: unpack them straight into the output.
                count = n & ~7
                if Value.bitWidth == 32 {
                    dst.withMemoryRebound(to: UInt32.self, capacity: count) {
                        BitPacking.unpack(run, count: count, bitWidth: width, into: $0)
                    }
                } else {
                    dst.withMemoryRebound(to: UInt64.self, capacity: count) {
                        BitPacking.unpack(run, count: count, bitWidth: width, into: $0)
                    }
                }
                cursor.position &+= (count &* width) &>> 3
            } else {
                // The tail of a request: single values; the cursor stays on the group boundary
                // until the group is used up.
                count = min(n, 8 &- inGroup)
                for j in 0..<count {
                    let bits = BitPacking.value(in: run, atBit: (inGroup &+ j) &* width, bitWidth: width)
                    dst[j] = Value(truncatingIfNeeded: bits)
                }
                if (inGroup &+ count) & 7 == 0 { cursor.position &+= width }
            }
            // Deltas to values; the unpacked bits are reinterpreted, which is the spec's wrapping.
            var value = last
            let delta = minDelta
            for j in 0..<count {
                value = value &+ delta &+ dst[j]
                dst[j] = value
            }
            last = value
            miniblockValuesLeft &-= count
            valuesLeft &-= count
            produced &+= count
        }
        if valuesLeft == 0 && miniblockValuesLeft > 0 { cursor.position = miniblockEnd }
        return produced
    }

    /// Moves past the remaining values without decoding them and returns `consumedByteCount`,
    /// the size of the encoded data. Takes time in proportion to the bytes, not the values.
    public mutating func skipToEnd() throws(ParquetError) -> Int {
        if firstPending && valuesLeft > 0 {
            firstPending = false
            valuesLeft &-= 1
        }
        while valuesLeft > 0 {
            if miniblockValuesLeft == 0 { try startMiniblock() }
            let n = min(valuesLeft, miniblockValuesLeft)
            valuesLeft &-= n
            miniblockValuesLeft &-= n
            cursor.position = miniblockEnd
        }
        if miniblockValuesLeft > 0 { cursor.position = miniblockEnd }
        miniblockValuesLeft = 0
        return cursor.position
    }

    /// Moves to the next miniblock, reading a block header first when the block is used up, and
    /// checks that the bytes for the values still wanted from it are present.
    mutating func startMiniblock() throws(ParquetError) {
        // A miniblock left mid-group (by single-value reads) ends here.
        cursor.position = max(cursor.position, miniblockEnd)
        if nextMiniblock == 0 || nextMiniblock == miniblocksPerBlock {
            let zigzag = try cursor.readULEB128("DELTA_BINARY_PACKED min delta")
            minDelta = Value(truncatingIfNeeded: Varint.zigZagDecode(zigzag))
            widthsOffset = cursor.position
            try cursor.skip(miniblocksPerBlock, "DELTA_BINARY_PACKED miniblock bit widths")
            nextMiniblock = 0
        }
        let width = Int(cursor.base.unsafelyUnwrapped.load(fromByteOffset: widthsOffset &+ nextMiniblock, as: UInt8.self))
        nextMiniblock &+= 1
        guard width <= Value.bitWidth else {
            throw .corrupt("DELTA_BINARY_PACKED miniblock bit width \(width) exceeds \(Value.bitWidth)")
        }
        let full = (valuesPerMiniblock &* width) &>> 3
        // The last miniblock should be padded to full size; require only the bytes of its values.
        let needed = BitPacking.byteCount(valueCount: min(valuesLeft, valuesPerMiniblock), bitWidth: width)
        try cursor.require(needed, "DELTA_BINARY_PACKED miniblock")
        self.width = width
        miniblockValuesLeft = valuesPerMiniblock
        miniblockEnd = cursor.position &+ min(full, cursor.remaining)
    }
}
