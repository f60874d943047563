import Columnar

/// Decodes PLAIN BYTE_ARRAY values (each a 4-byte little-endian length and that many bytes) into
/// Arrow's variable-width layout, the hottest path for string columns.
///
/// For each value, `decode` appends its bytes to `values` and then `values.count` as an `Int32`
/// end offset to `offsets`; the caller appends the leading start offset (0 for a new array) once,
/// before the first value. Values are handled in chunks of 512: one pass validates the lengths and
/// writes the offsets, a second copies the bytes, moving values of up to 32 bytes with two 16-byte
/// loads and stores instead of a `memcpy` call. A throw leaves both builders and the decoder as
/// they were before the call.
///
/// The decoder borrows `data`: the caller keeps those bytes alive while decoding.
public struct PlainByteArrayDecoder {
    var cursor: ByteCursor

    public init(data: UnsafeRawBufferPointer) {
        cursor = ByteCursor(data)
    }

    /// Bytes consumed by the values decoded or skipped so far.
    public var consumedByteCount: Int { cursor.position }

    /// Decodes `count` values; throws if the data holds fewer or a length runs past its end.
    public mutating func decode(count: Int, offsets: inout BufferBuilder, values: inout BufferBuilder) throws(ParquetError) {
        guard count > 0 else { return }
        // Every value takes at least its 4-byte length: this bounds the offsets allocation.
        guard count <= cursor.remaining / 4 else {
            throw .corrupt("PLAIN BYTE_ARRAY data of \(cursor.remaining) bytes cannot hold \(count) values")
        }
        let start = (cursor.position, offsets.count, values.count)
        do {
            var done = 0
            while done < count {
                // Chunks small enough that the copy pass finds the lengths still in cache.
                let chunk = min(count &- done, 512)
                try decodeChunk(chunk, offsets: &offsets, values: &values)
                done &+= chunk
            }
        } catch {
            (cursor.position, offsets.count, values.count) = start
            throw error
        }
    }

    /// Validates `count` values and appends their end offsets, then copies their bytes.
    @inline(__always)
    mutating func decodeChunk(_ count: Int, offsets: inout BufferBuilder, values: inout BufferBuilder) throws(ParquetError) {
        let base = values.count
        let input = cursor.base.unsafelyUnwrapped
        let end = cursor.count
        let start = cursor.position
        var total = 0
        var position = start
        try offsets.appendDecoded(maxByteCount: count &* 4) { (raw) throws(ParquetError) -> Int in
            for i in 0..<count {
                guard end &- position >= 4 else {
                    throw .corrupt("PLAIN BYTE_ARRAY length runs past the end at offset \(position)")
                }
                let length = Int(UInt32(littleEndian: input.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                position &+= 4
                guard length <= end &- position else {
                    throw .corrupt("PLAIN BYTE_ARRAY value of \(length) bytes runs past the end at offset \(position)")
                }
                position &+= length
                total &+= length
                raw.storeBytes(of: Int32(truncatingIfNeeded: base &+ total), toByteOffset: i &* 4, as: Int32.self)
            }
            guard base &+ total <= Int(Int32.max) else {
                throw .unsupported("byte array data over 2 GiB in one column (Int32 offsets)")
            }
            return count &* 4
        }
        // Room for one 32-byte store past the last value.
        values.appendUninitialized(maxByteCount: total &+ 32) { raw in
            let out = raw.baseAddress!
            var written = 0
            var position = start
            for _ in 0..<count {
                let length = Int(UInt32(littleEndian: input.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                let source = input + (position &+ 4)
                let target = out + written
                if length <= 32 && position &+ 36 <= end {
                    // Short values: four fixed-size moves instead of a memcpy call.
                    let a = source.loadUnaligned(as: SIMD16<UInt8>.self)
                    let b = source.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
                    target.storeBytes(of: a, as: SIMD16<UInt8>.self)
                    target.storeBytes(of: b, toByteOffset: 16, as: SIMD16<UInt8>.self)
                } else {
                    target.copyMemory(from: source, byteCount: length)
                }
                written &+= length
                position &+= 4 &+ length
            }
            return written
        }
        cursor.position = position
    }

    /// Moves past `count` values; throws if the data holds fewer.
    public mutating func skip(count: Int) throws(ParquetError) {
        for i in 0..<max(count, 0) {
            let length = Int(try cursor.readLittleEndian(UInt32.self, "PLAIN BYTE_ARRAY length of value \(i)"))
            try cursor.skip(length, "PLAIN BYTE_ARRAY value \(i)")
        }
    }
}
