import Columnar

/// Decodes `DELTA_LENGTH_BYTE_ARRAY = 6`: all lengths as DELTA_BINARY_PACKED, then all value bytes
/// back to back.
///
/// Output is Arrow's variable-width layout. For each value, `decode` appends its bytes to `values`
/// and then `values.count` as an `Int32` end offset to `offsets`; the caller appends the leading
/// start offset (0 for a new array) once, before the first value. Every length is checked to be
/// non-negative and within the bytes present, and offsets past `Int32.max` throw.
///
/// The decoder borrows `data`: the caller keeps those bytes alive while decoding.
public struct DeltaLengthByteArrayDecoder {
    var lengths: DeltaBinaryPackedDecoder<Int32>
    /// The concatenated value bytes, after the encoded lengths.
    var bytes: ByteCursor
    /// Offset of the value bytes within the data.
    let bytesOffset: Int

    /// Reads the lengths' header and finds where the value bytes start.
    public init(data: UnsafeRawBufferPointer) throws(ParquetError) {
        lengths = try DeltaBinaryPackedDecoder<Int32>(data: data)
        var probe = lengths
        bytesOffset = try probe.skipToEnd()
        bytes = ByteCursor(UnsafeRawBufferPointer(rebasing: data[bytesOffset...]))
    }

    /// Values not yet decoded.
    public var remainingValueCount: Int { lengths.remainingValueCount }

    /// Bytes from the start of the data to the end of the values decoded so far; after the last
    /// value, the size of the encoded data.
    public var consumedByteCount: Int { bytesOffset &+ bytes.position }

    /// Decodes `count` values; throws if the data holds fewer.
    public mutating func decode(count: Int, offsets: inout BufferBuilder, values: inout BufferBuilder) throws(ParquetError) {
        guard count >= 0 && count <= lengths.remainingValueCount else {
            throw .corrupt("DELTA_LENGTH_BYTE_ARRAY holds \(lengths.remainingValueCount) more values, \(count) requested")
        }
        var done = 0
        while done < count {
            let chunk = min(count &- done, Self.chunkSize)
            let total = try decodeLengths(chunk, offsets: &offsets, base: values.count)
            values.append(contentsOf: try bytes.readBytes(total, "DELTA_LENGTH_BYTE_ARRAY value bytes"))
            done &+= chunk
        }
    }

    /// Moves past `count` values; throws if the data holds fewer.
    public mutating func skip(count: Int) throws(ParquetError) {
        guard count >= 0 && count <= lengths.remainingValueCount else {
            throw .corrupt("DELTA_LENGTH_BYTE_ARRAY holds \(lengths.remainingValueCount) more values, \(count) skipped")
        }
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.chunkSize) { (scratch) throws(ParquetError) in
            var done = 0
            while done < count {
                let chunk = min(count &- done, Self.chunkSize)
                let n = try lengths.decode(into: UnsafeMutableBufferPointer(rebasing: scratch[..<chunk]))
                var total = 0
                for i in 0..<n {
                    guard scratch[i] >= 0 else { throw .corrupt("negative DELTA_LENGTH_BYTE_ARRAY length \(scratch[i])") }
                    total &+= Int(scratch[i])
                }
                try bytes.skip(total, "DELTA_LENGTH_BYTE_ARRAY value bytes")
                done &+= chunk
            }
        }
    }

    static var chunkSize: Int { 1024 }

    /// Decodes `chunk` lengths as end offsets (starting from `base`) appended to `offsets` and
    /// returns their total, which has been checked against the bytes present.
    mutating func decodeLengths(_ chunk: Int, offsets: inout BufferBuilder, base: Int) throws(ParquetError) -> Int {
        var total = 0
        try offsets.appendDecoded(maxByteCount: chunk &* 4) { (raw) throws(ParquetError) -> Int in
            let ends = raw.bindMemory(to: Int32.self)
            let n = try lengths.decode(into: ends)
            guard n == chunk else { throw .corrupt("DELTA_LENGTH_BYTE_ARRAY lengths end early") }
            let available = bytes.remaining
            var end = base
            for i in 0..<n {
                let length = ends[i]
                guard length >= 0 else { throw .corrupt("negative DELTA_LENGTH_BYTE_ARRAY length \(length)") }
                end &+= Int(length)
                ends[i] = Int32(truncatingIfNeeded: end)
            }
            total = end &- base
            guard total <= available else {
                throw .corrupt("DELTA_LENGTH_BYTE_ARRAY values need \(total) bytes, \(available) left")
            }
            guard end <= Int(Int32.max) else {
                throw .unsupported("byte array data over 2 GiB in one column (Int32 offsets)")
            }
            return n &* 4
        }
        return total
    }
}
