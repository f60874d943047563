import Columnar

/// Encodes byte arrays as PLAIN BYTE_ARRAY: each value as a 4-byte little-endian length and its bytes.
public enum PlainByteArrayEncoder {
    /// Encodes the values of an Arrow variable-width array: value `i` is
    /// `data[offsets[i] ..< offsets[i + 1]]`, so `offsets` holds one more entry than there are values.
    public static func encode(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer, into output: inout BufferBuilder) {
        let values = ByteArrayOffsetValues(offsets: offsets, data: data)
        guard values.count > 0 else { return }
        let byteCount = values.count &* 4 &+ Int(offsets[values.count] &- offsets[0])
        guard let source = data.baseAddress else {
            output.appendZeros(byteCount)  // every value is empty
            return
        }
        // Room for one 32-byte store past the last value.
        output.appendUninitialized(maxByteCount: byteCount &+ 32) { raw in
            let out = raw.baseAddress!
            var written = 0
            for i in 0..<values.count {
                let start = Int(offsets[i])
                let length = Int(offsets[i &+ 1]) &- start
                out.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: written, as: UInt32.self)
                let target = out + (written &+ 4)
                if length <= 32 && start &+ 32 <= data.count {
                    // Short values: two 16-byte moves instead of a memcpy call.
                    target.storeBytes(of: (source + start).loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
                    target.storeBytes(of: (source + start).loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self),
                                      toByteOffset: 16, as: SIMD16<UInt8>.self)
                } else if length > 0 {
                    target.copyMemory(from: source + start, byteCount: length)
                }
                written &+= 4 &+ length
            }
            return written
        }
    }
}
