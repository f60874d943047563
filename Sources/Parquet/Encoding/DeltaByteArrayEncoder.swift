import Columnar

/// Encodes byte arrays as `DELTA_BYTE_ARRAY = 7`: for each value the length of the prefix it
/// shares with the previous value and the rest (the suffix). The prefix lengths are written as
/// DELTA_BINARY_PACKED, the suffixes as DELTA_LENGTH_BYTE_ARRAY. The first value of each call has
/// no predecessor, so each page starts afresh as parquet-mr and Arrow do.
public enum DeltaByteArrayEncoder {
    /// Encodes the values of an Arrow variable-width array (`offsets` has one more entry than
    /// there are values).
    public static func encode(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer, into output: inout BufferBuilder) {
        let values = ByteArrayOffsetValues(offsets: offsets, data: data)
        encode(count: values.count, value: { values[$0] }, into: &output)
    }

    /// Encodes FIXED_LEN_BYTE_ARRAY values stored back to back, `byteWidth` bytes each.
    public static func encode(fixedWidthValues data: UnsafeRawBufferPointer, byteWidth: Int, into output: inout BufferBuilder) {
        precondition(byteWidth > 0 && data.count % byteWidth == 0, "data is not a whole number of values")
        encode(count: data.count / byteWidth, value: {
            UnsafeRawBufferPointer(rebasing: data[($0 &* byteWidth)..<(($0 &+ 1) &* byteWidth)])
        }, into: &output)
    }

    /// `value` is called once per value and inlined; no closure survives into a loop iteration.
    @inline(__always)
    static func encode(count: Int, value: (Int) -> UnsafeRawBufferPointer, into output: inout BufferBuilder) {
        var prefixes = DeltaBinaryPackedEncoder<Int32>()
        var suffixLengths = DeltaBinaryPackedEncoder<Int32>()
        var suffixBytes = BufferBuilder(capacity: 1024)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2048) { scratch in
            let prefixScratch = UnsafeMutableBufferPointer(rebasing: scratch[..<1024])
            let suffixScratch = UnsafeMutableBufferPointer(rebasing: scratch[1024...])
            var previous = UnsafeRawBufferPointer(start: nil, count: 0)
            var start = 0
            while start < count {
                let n = min(1024, count &- start)
                for i in 0..<n {
                    let current = value(start &+ i)
                    let prefix = commonPrefixLength(previous, current)
                    prefixScratch[i] = Int32(prefix)
                    suffixScratch[i] = Int32(current.count &- prefix)
                    suffixBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: current[prefix...]))
                    previous = current
                }
                prefixes.append(UnsafeBufferPointer(rebasing: prefixScratch[..<n]))
                suffixLengths.append(UnsafeBufferPointer(rebasing: suffixScratch[..<n]))
                start &+= n
            }
        }
        prefixes.finish(into: &output)
        suffixLengths.finish(into: &output)
        suffixBytes.withUnsafeBytes { output.append(contentsOf: $0) }
    }

    /// Number of leading bytes `a` and `b` share, compared eight at a time.
    @inline(__always)
    static func commonPrefixLength(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let limit = min(a.count, b.count)
        guard limit > 0 else { return 0 }
        let p = a.baseAddress!
        let q = b.baseAddress!
        var i = 0
        while i &+ 8 <= limit {
            let difference = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                ^ q.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if difference != 0 { return i &+ UInt64(littleEndian: difference).trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        while i < limit && p.load(fromByteOffset: i, as: UInt8.self) == q.load(fromByteOffset: i, as: UInt8.self) {
            i &+= 1
        }
        return i
    }
}
