/// Decodes the RLE / bit-packed hybrid encoding (`RLE = 3`): definition and repetition levels,
/// dictionary indices and RLE booleans.
///
/// The data is a sequence of runs, each introduced by a ULEB128 header whose low bit tells an RLE
/// run (`count << 1`, then the value in `ceil(bitWidth / 8)` little-endian bytes) from a bit-packed
/// run (`groups << 1 | 1`, then `groups * bitWidth` bytes holding `8 * groups` values). Values are
/// produced in batches; a run may span any number of calls.
///
/// Bounds: an RLE run whose value bytes are missing, a truncated header, or a run longer than the
/// spec's 2^31 - 1 values throws. A bit-packed run that declares more bytes than remain yields only
/// the whole values present and then ends the data, as arrow-rs and Arrow C++ do ("writers which
/// truncate the final block"); the caller sees fewer values than it asked for.
///
/// The decoder borrows `data`: the caller keeps those bytes alive while decoding.
public struct RLEBitPackedHybridDecoder {
    /// Bits per value, 0...32.
    public let bitWidth: Int
    var cursor: ByteCursor
    /// Values left in the current RLE run, and its value.
    var repeatRemaining = 0
    var repeatValue: UInt32 = 0
    /// Byte offset of the current bit-packed run, the values it holds and how many were consumed.
    var packedOffset = 0
    var packedCount = 0
    var packedIndex = 0

    /// A decoder over hybrid data without a length prefix (data page v2 levels, dictionary indices
    /// after their bit-width byte).
    public init(bitWidth: Int, data: UnsafeRawBufferPointer) throws(ParquetError) {
        guard bitWidth >= 0 && bitWidth <= 32 else {
            throw .corrupt("RLE/bit-packed hybrid bit width \(bitWidth) is outside 0...32")
        }
        self.bitWidth = bitWidth
        cursor = ByteCursor(data)
    }

    /// A decoder over levels in the data page v1 layout: a 4-byte little-endian length, then the
    /// hybrid data. Returns the decoder and the bytes the levels occupy including the prefix, which
    /// is where the next section of the page starts.
    public static func levelsV1(bitWidth: Int, data: UnsafeRawBufferPointer) throws(ParquetError)
        -> (decoder: RLEBitPackedHybridDecoder, byteCount: Int)
    {
        var cursor = ByteCursor(data)
        let length = Int(try cursor.readLittleEndian(UInt32.self, "level data length"))
        let body = try cursor.readBytes(length, "level data")
        return (try RLEBitPackedHybridDecoder(bitWidth: bitWidth, data: body), 4 + length)
    }

    /// A decoder over `RLE_DICTIONARY` / `PLAIN_DICTIONARY` data page values: one byte holding the
    /// bit width (at most 32), then the hybrid data up to the end of the page.
    public static func dictionaryIndices(data: UnsafeRawBufferPointer) throws(ParquetError) -> RLEBitPackedHybridDecoder {
        var cursor = ByteCursor(data)
        let width = Int(try cursor.readByte("dictionary index bit width"))
        return try RLEBitPackedHybridDecoder(bitWidth: width, data: cursor.remainingBytes)
    }

    /// Bytes read so far (headers and the bytes of every run started).
    public var consumedByteCount: Int { cursor.position }

    /// Decodes up to `output.count` values and returns how many were written; fewer means the data
    /// ended. `T` must be at least `bitWidth` bits wide; signed types receive the bit pattern.
    public mutating func decode<T: FixedWidthInteger>(into output: UnsafeMutableBufferPointer<T>) throws(ParquetError) -> Int {
        guard bitWidth <= T.bitWidth else {
            throw .invalidArgument("cannot decode \(bitWidth)-bit values into \(T.self)")
        }
        guard let out = output.baseAddress else { return 0 }
        let capacity = output.count
        var produced = 0
        while produced < capacity {
            if repeatRemaining > 0 {
                let n = min(repeatRemaining, capacity &- produced)
                (out + produced).update(repeating: T(truncatingIfNeeded: repeatValue), count: n)
                repeatRemaining &-= n
                produced &+= n
            } else if packedIndex < packedCount {
                produced &+= unpackRun(into: out + produced, max: capacity &- produced)
            } else if try !readRunHeader() {
                break
            }
        }
        return produced
    }

    /// When the next `count` values all belong to one repeated (RLE) run, skips them and returns
    /// the run's value; otherwise returns nil and leaves the values to `decode`. A column without
    /// NULLs has its definition levels as such a run, page by page.
    public mutating func skipRepeated(_ count: Int) throws(ParquetError) -> UInt32? {
        if repeatRemaining == 0 && packedIndex >= packedCount {
            guard try readRunHeader() else { return nil }
        }
        guard repeatRemaining >= count else { return nil }
        repeatRemaining &-= count
        return repeatValue
    }

    /// Decodes dictionary indices like `decode(into:)` and throws unless every index is below
    /// `dictionaryCount`.
    public mutating func decodeIndices<T: FixedWidthInteger>(
        into output: UnsafeMutableBufferPointer<T>, dictionaryCount: Int
    ) throws(ParquetError) -> Int {
        let n = try decode(into: output)
        guard n > 0 else { return 0 }
        // A max over values just written (still in cache) is cheaper than checking inside each run kind.
        var largest: UInt64 = 0
        for i in 0..<n { largest = max(largest, UInt64(truncatingIfNeeded: UInt32(truncatingIfNeeded: output[i]))) }
        guard largest < UInt64(max(dictionaryCount, 0)) else {
            throw .corrupt("dictionary index \(largest) out of range for a dictionary of \(dictionaryCount) values")
        }
        return n
    }

    /// Decodes the values at `positions` (ascending, each below `count`) among the next `count`
    /// into `output[0..<positions.count]` and moves past all `count`; only the kept values of
    /// bit-packed runs are extracted. Returns how many of the `count` values the data held
    /// (fewer means it ended; then only the outputs for positions below that are written).
    public mutating func decodeSelected<T: FixedWidthInteger>(
        _ count: Int, positions: UnsafeBufferPointer<Int32>, into output: UnsafeMutablePointer<T>
    ) throws(ParquetError) -> Int {
        guard bitWidth <= T.bitWidth else {
            throw .invalidArgument("cannot decode \(bitWidth)-bit values into \(T.self)")
        }
        let kept = positions.count
        var consumed = 0
        var k = 0
        while consumed < count {
            if repeatRemaining > 0 {
                let n = min(repeatRemaining, count &- consumed)
                let end = consumed &+ n
                let value = T(truncatingIfNeeded: repeatValue)
                while k < kept && Int(positions[k]) < end {
                    output[k] = value
                    k &+= 1
                }
                repeatRemaining &-= n
                consumed = end
            } else if packedIndex < packedCount {
                let n = min(packedCount &- packedIndex, count &- consumed)
                let end = consumed &+ n
                let run = cursor.bytes(from: packedOffset)
                // Run index of relative position p: packedIndex + (p - consumed).
                let shift = packedIndex &- consumed
                while k < kept && Int(positions[k]) < end {
                    let bit = (shift &+ Int(positions[k])) &* bitWidth
                    output[k] = T(truncatingIfNeeded: BitPacking.value(in: run, atBit: bit, bitWidth: bitWidth))
                    k &+= 1
                }
                packedIndex &+= n
                consumed = end
            } else if try !readRunHeader() {
                break
            }
        }
        return consumed
    }

    /// Skips up to `count` values and returns how many were skipped; fewer means the data ended.
    public mutating func skip(_ count: Int) throws(ParquetError) -> Int {
        var skipped = 0
        while skipped < count {
            if repeatRemaining > 0 {
                let n = min(repeatRemaining, count &- skipped)
                repeatRemaining &-= n
                skipped &+= n
            } else if packedIndex < packedCount {
                let n = min(packedCount &- packedIndex, count &- skipped)
                packedIndex &+= n
                skipped &+= n
            } else if try !readRunHeader() {
                break
            }
        }
        return skipped
    }

    /// Starts the next run; false at the end of the data.
    mutating func readRunHeader() throws(ParquetError) -> Bool {
        guard !cursor.isAtEnd else { return false }
        let header = try cursor.readULEB128("RLE/bit-packed run header")
        let length = header &>> 1
        if header & 1 == 0 {
            guard length <= UInt64(Int32.max) else { throw .corrupt("RLE run of \(length) values exceeds 2^31 - 1") }
            let valueBytes = try cursor.readBytes((bitWidth &+ 7) &>> 3, "RLE run value")
            var value: UInt32 = 0
            for k in 0..<valueBytes.count { value |= UInt32(valueBytes[k]) &<< UInt32(k &* 8) }
            repeatValue = value
            repeatRemaining = Int(length)
        } else {
            guard length <= UInt64(Int32.max / 8) else {
                throw .corrupt("bit-packed run of \(length) groups exceeds 2^31 - 1 values")
            }
            let groups = Int(length)
            let byteCount = groups &* bitWidth
            packedOffset = cursor.position
            packedIndex = 0
            if byteCount <= cursor.remaining {
                packedCount = groups &* 8
                cursor.position &+= byteCount
            } else {
                // Truncated final run: keep the whole values that are present.
                packedCount = cursor.remaining &* 8 / bitWidth
                cursor.position = cursor.count
            }
        }
        return true
    }

    /// Writes up to `limit` values of the current bit-packed run.
    @inline(__always)
    mutating func unpackRun<T: FixedWidthInteger>(into out: UnsafeMutablePointer<T>, max limit: Int) -> Int {
        let n = min(packedCount &- packedIndex, limit)
        // From the run start to the end of the data: the extra bytes are slack for 64-bit loads.
        let run = cursor.bytes(from: packedOffset)
        if packedIndex & 7 != 0 || n < 8 {
            // Up to the next group boundary, one value at a time.
            let k = packedIndex & 7 != 0 ? min(n, 8 &- (packedIndex & 7)) : n
            for j in 0..<k {
                let bit = (packedIndex &+ j) &* bitWidth
                out[j] = T(truncatingIfNeeded: BitPacking.value(in: run, atBit: bit, bitWidth: bitWidth))
            }
            packedIndex &+= k
            return k
        }
        let count = n & ~7
        let start = (packedIndex &* bitWidth) &>> 3
        let input = UnsafeRawBufferPointer(rebasing: run[start...])
        if T.bitWidth == 32 {
            out.withMemoryRebound(to: UInt32.self, capacity: count) {
                BitPacking.unpack(input, count: count, bitWidth: bitWidth, into: $0)
            }
        } else {
            // Narrower or wider outputs go through a small buffer of UInt32.
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 512) { scratch in
                let buffer = scratch.baseAddress!
                var done = 0
                while done < count {
                    let chunk = min(512, count &- done)
                    let bytes = UnsafeRawBufferPointer(rebasing: input[((done &* bitWidth) &>> 3)...])
                    BitPacking.unpack(bytes, count: chunk, bitWidth: bitWidth, into: buffer)
                    for i in 0..<chunk { out[done &+ i] = T(truncatingIfNeeded: buffer[i]) }
                    done &+= chunk
                }
            }
        }
        packedIndex &+= count
        return count
    }
}
