import Columnar

/// Encodes `Int32` or `Int64` values as `DELTA_BINARY_PACKED = 5`, by default with the block
/// layout of parquet-mr and arrow-rs: blocks of 128 values in 4 miniblocks of 32. (Arrow C++ uses
/// 256-value blocks for INT64; pass `blockSize: 256` to produce its bytes.)
///
/// The header carries the total value count, so blocks are collected in the encoder and written
/// after the header by `finish(into:)`. In the last block, miniblocks without values get bit
/// width 0 and no bytes; the last used miniblock is padded with zero deltas. Minimum deltas and bit
/// widths are computed over the real values only.
public struct DeltaBinaryPackedEncoder<Value: DeltaBinaryPackedInteger>: ~Copyable {
    /// Values per block, and miniblocks per block.
    public let blockSize: Int
    public let miniblocksPerBlock: Int

    /// Encoded blocks, without the header.
    var blocks = BufferBuilder(capacity: 1024)
    /// Deltas of the block being filled.
    let deltas: UnsafeMutablePointer<Value>
    var deltaCount = 0
    var first: Value = 0
    var last: Value = 0
    var count = 0

    /// An encoder writing blocks of `blockSize` values (a multiple of 128) in `miniblocksPerBlock`
    /// miniblocks of a multiple of 32 values each, as the spec requires.
    public init(blockSize: Int = 128, miniblocksPerBlock: Int = 4) {
        precondition(blockSize > 0 && blockSize % 128 == 0, "block size must be a multiple of 128")
        precondition(miniblocksPerBlock > 0 && blockSize % miniblocksPerBlock == 0
                     && (blockSize / miniblocksPerBlock) % 32 == 0, "miniblocks must hold a multiple of 32 values")
        self.blockSize = blockSize
        self.miniblocksPerBlock = miniblocksPerBlock
        deltas = .allocate(capacity: blockSize)
    }

    deinit { deltas.deallocate() }

    /// Values appended since the last `finish(into:)`.
    public var valueCount: Int { count }

    /// Bytes `finish(into:)` would write if called now, for page size decisions (an upper bound
    /// for the block being filled).
    public var estimatedByteCount: Int {
        blocks.count &+ 4 &* 10 &+ miniblocksPerBlock &+ deltaCount &* MemoryLayout<Value>.size &+ 16
    }

    public mutating func append(_ values: UnsafeBufferPointer<Value>) {
        for value in values {
            if count == 0 {
                first = value
            } else {
                deltas[deltaCount] = value &- last
                deltaCount &+= 1
                if deltaCount == blockSize { flushBlock() }
            }
            last = value
            count &+= 1
        }
    }

    /// Writes the header and every block to `output`, then starts over empty.
    public mutating func finish(into output: inout BufferBuilder) {
        if deltaCount > 0 { flushBlock() }
        Varint.appendULEB128(UInt64(blockSize), to: &output)
        Varint.appendULEB128(UInt64(miniblocksPerBlock), to: &output)
        Varint.appendULEB128(UInt64(count), to: &output)
        Varint.appendULEB128(Varint.zigZagEncode(Int64(first)), to: &output)
        blocks.withUnsafeBytes { output.append(contentsOf: $0) }
        blocks.removeAll()
        count = 0
        first = 0
        last = 0
    }

    /// Encodes `values` in one go.
    public static func encode(_ values: UnsafeBufferPointer<Value>, into output: inout BufferBuilder) {
        var encoder = DeltaBinaryPackedEncoder()
        encoder.append(values)
        encoder.finish(into: &output)
    }

    mutating func flushBlock() {
        let n = deltaCount
        var minDelta = deltas[0]
        for i in 1..<n { minDelta = Swift.min(minDelta, deltas[i]) }
        Varint.appendULEB128(Varint.zigZagEncode(Int64(minDelta)), to: &blocks)
        let widthsOffset = blocks.count
        blocks.appendZeros(miniblocksPerBlock)
        let perMiniblock = blockSize / miniblocksPerBlock
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: perMiniblock) { scratch in
            let relative = scratch.baseAddress!
            var start = 0
            var miniblock = 0
            while start < n {
                let end = Swift.min(start &+ perMiniblock, n)
                var bits: UInt64 = 0
                for i in start..<end {
                    // The subtraction wraps; the unsigned bit pattern is what gets packed.
                    let value = UInt64(truncatingIfNeeded: Value.Magnitude(truncatingIfNeeded: deltas[i] &- minDelta))
                    relative[i &- start] = value
                    bits |= value
                }
                for i in (end &- start)..<perMiniblock { relative[i] = 0 }
                let width = BitPacking.bitWidth(of: bits)
                blocks.store(UInt8(width), at: widthsOffset &+ miniblock)
                let byteCount = (perMiniblock &* width) &>> 3
                blocks.appendUninitialized(maxByteCount: byteCount) { raw in
                    if byteCount > 0 {
                        BitPacking.pack(relative, count: perMiniblock, bitWidth: width, into: raw.baseAddress!)
                    }
                    return byteCount
                }
                start = end
                miniblock &+= 1
            }
        }
        deltaCount = 0
    }
}
