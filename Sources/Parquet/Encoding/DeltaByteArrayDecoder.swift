import Columnar

/// Decodes `DELTA_BYTE_ARRAY = 7` (incremental or front coding) for BYTE_ARRAY and
/// FIXED_LEN_BYTE_ARRAY columns: all prefix lengths as DELTA_BINARY_PACKED, then the suffixes as
/// DELTA_LENGTH_BYTE_ARRAY. Value `i` is the first `prefix[i]` bytes of value `i - 1` followed by
/// suffix `i`.
///
/// `decode` produces Arrow's variable-width layout like `DeltaLengthByteArrayDecoder` (bytes
/// appended to `values`, one `Int32` end offset per value appended to `offsets`; the caller
/// appends the leading start offset). `decodeFixed` appends only the bytes and checks that every
/// value has the column's width. A prefix longer than the previous value, a negative length or a
/// suffix beyond the bytes present throws. The previous value is carried across calls.
///
/// The decoder borrows `data`: the caller keeps those bytes alive while decoding.
public struct DeltaByteArrayDecoder {
    var prefixLengths: DeltaBinaryPackedDecoder<Int32>
    var suffixes: DeltaLengthByteArrayDecoder
    let suffixesOffset: Int
    /// The last value decoded, the source of the next value's prefix.
    var previous: [UInt8] = []

    /// Reads both length headers and finds where the suffix bytes start.
    public init(data: UnsafeRawBufferPointer) throws(ParquetError) {
        prefixLengths = try DeltaBinaryPackedDecoder<Int32>(data: data)
        var probe = prefixLengths
        suffixesOffset = try probe.skipToEnd()
        suffixes = try DeltaLengthByteArrayDecoder(data: UnsafeRawBufferPointer(rebasing: data[suffixesOffset...]))
    }

    /// Values not yet decoded.
    public var remainingValueCount: Int {
        min(prefixLengths.remainingValueCount, suffixes.remainingValueCount)
    }

    /// Bytes from the start of the data to the end of the values decoded so far; after the last
    /// value, the size of the encoded data.
    public var consumedByteCount: Int { suffixesOffset &+ suffixes.consumedByteCount }

    /// Decodes `count` BYTE_ARRAY values; throws if the data holds fewer.
    public mutating func decode(count: Int, offsets: inout BufferBuilder, values: inout BufferBuilder) throws(ParquetError) {
        try checkCount(count)
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 &* Self.chunkSize) { (scratch) throws(ParquetError) in
            let ends = scratch.baseAddress! + 2 &* Self.chunkSize
            var done = 0
            while done < count {
                let chunk = min(count &- done, Self.chunkSize)
                try decodeChunk(chunk, scratch: scratch.baseAddress!, fixedWidth: -1, ends: ends, values: &values)
                offsets.append(contentsOf: UnsafeRawBufferPointer(start: ends, count: chunk &* 4))
                done &+= chunk
            }
        }
    }

    /// Decodes `count` FIXED_LEN_BYTE_ARRAY values of `byteWidth` bytes each, appending their bytes
    /// to `values`; throws if the data holds fewer or a value has another length.
    public mutating func decodeFixed(count: Int, byteWidth: Int, values: inout BufferBuilder) throws(ParquetError) {
        try checkCount(count)
        guard byteWidth >= 0 else { throw .invalidArgument("negative FIXED_LEN_BYTE_ARRAY width \(byteWidth)") }
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 &* Self.chunkSize) { (scratch) throws(ParquetError) in
            var done = 0
            while done < count {
                let chunk = min(count &- done, Self.chunkSize)
                try decodeChunk(chunk, scratch: scratch.baseAddress!, fixedWidth: byteWidth, ends: nil, values: &values)
                done &+= chunk
            }
        }
    }

    static var chunkSize: Int { 1024 }

    /// Copies `count` bytes; short runs as two 16-byte moves when 32 bytes may be read at `source`
    /// and written at `target`. The load precedes the store, so `source` may end where `target` starts.
    @inline(__always)
    static func move(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int, canOverread: Bool) {
        if count <= 32 && canOverread {
            let a = source.loadUnaligned(as: SIMD16<UInt8>.self)
            let b = source.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
            target.storeBytes(of: a, as: SIMD16<UInt8>.self)
            target.storeBytes(of: b, toByteOffset: 16, as: SIMD16<UInt8>.self)
        } else {
            target.copyMemory(from: source, byteCount: count)
        }
    }

    func checkCount(_ count: Int) throws(ParquetError) {
        guard count >= 0 && count <= remainingValueCount else {
            throw .corrupt("DELTA_BYTE_ARRAY holds \(remainingValueCount) more values, \(count) requested")
        }
    }

    /// Decodes `n` values. `scratch` has room for `2 * chunkSize` lengths; `ends`, if given,
    /// receives the end offsets. Everything is validated before anything is appended.
    mutating func decodeChunk(
        _ n: Int, scratch: UnsafeMutablePointer<Int32>, fixedWidth: Int, ends: UnsafeMutablePointer<Int32>?,
        values: inout BufferBuilder
    ) throws(ParquetError) {
        let prefixes = scratch
        let suffixLengths = scratch + Self.chunkSize
        guard try prefixLengths.decode(into: UnsafeMutableBufferPointer(start: prefixes, count: n)) == n,
              try suffixes.lengths.decode(into: UnsafeMutableBufferPointer(start: suffixLengths, count: n)) == n
        else { throw .corrupt("DELTA_BYTE_ARRAY lengths end early") }

        let base = values.count
        var previousLength = previous.count
        var total = 0
        var suffixTotal = 0
        for i in 0..<n {
            let prefix = Int(prefixes[i])
            let suffix = Int(suffixLengths[i])
            guard prefix >= 0 && prefix <= previousLength else {
                throw .corrupt("DELTA_BYTE_ARRAY prefix length \(prefix) exceeds the previous value's \(previousLength) bytes")
            }
            guard suffix >= 0 else { throw .corrupt("negative DELTA_BYTE_ARRAY suffix length \(suffix)") }
            let length = prefix &+ suffix
            if fixedWidth >= 0 && length != fixedWidth {
                throw .corrupt("DELTA_BYTE_ARRAY value of \(length) bytes in a FIXED_LEN_BYTE_ARRAY(\(fixedWidth)) column")
            }
            total &+= length
            suffixTotal &+= suffix
            previousLength = length
            // Bounded by 2^31 values of at most 2 GiB each, so the sums cannot overflow.
            guard base &+ total <= Int(Int32.max) else {
                throw .unsupported("byte array data over 2 GiB in one column (Int32 offsets)")
            }
            ends?[i] = Int32(truncatingIfNeeded: base &+ total)
        }
        let suffixBytes = try suffixes.bytes.readBytes(suffixTotal, "DELTA_BYTE_ARRAY suffix bytes")
        // Suffixes may be moved 32 bytes at a time up to the end of the page.
        let suffixLimit = suffixes.bytes.count &- suffixes.bytes.position &+ suffixTotal

        previous.withUnsafeBytes { previousValue in
            // Room for one 32-byte store past the last value.
            values.appendUninitialized(maxByteCount: total &+ 32) { dst in
                guard total > 0 else { return 0 }
                let out = dst.baseAddress!
                let suffixBase = suffixBytes.baseAddress.map { UnsafeRawPointer($0) }
                var suffixOffset = 0
                var written = 0
                for i in 0..<n {
                    let prefix = Int(prefixes[i])
                    let suffix = Int(suffixLengths[i])
                    let target = out + written
                    if prefix > 0 {
                        if i == 0 {
                            target.copyMemory(from: previousValue.baseAddress!, byteCount: prefix)
                        } else {
                            // The previous value lies just before `target`, in memory we own.
                            let previousStart = UnsafeRawPointer(target - (Int(prefixes[i &- 1]) &+ Int(suffixLengths[i &- 1])))
                            Self.move(from: previousStart, to: target, count: prefix, canOverread: true)
                        }
                    }
                    if suffix > 0 {
                        Self.move(from: suffixBase! + suffixOffset, to: target + prefix, count: suffix,
                                  canOverread: suffixOffset &+ 32 <= suffixLimit)
                        suffixOffset &+= suffix
                    }
                    written &+= prefix &+ suffix
                }
                return written
            }
        }
        // Keep the last value for the next chunk or call.
        let lastLength = previousLength
        values.withUnsafeBytes { bytes in
            previous.removeAll(keepingCapacity: true)
            previous.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(bytes.count &- lastLength)...]))
        }
    }
}
