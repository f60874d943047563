import Columnar

/// Encodes byte arrays as PLAIN BYTE_ARRAY: each value as a 4-byte little-endian length and its bytes.
public enum PlainByteArrayEncoder {
    /// Encodes the values of an Arrow variable-width array: value `i` is
    /// `data[offsets[i] ..< offsets[i + 1]]`, so `offsets` holds one more entry than there are values.
    public static func encode(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer, into output: inout BufferBuilder) {
        let values = ByteArrayOffsetValues(offsets: offsets, data: data)
        guard values.count > 0 else { return }
        let byteCount = values.count &* 4 &+ Int(offsets[values.count] &- offsets[0])
        output.appendUninitialized(maxByteCount: byteCount) { raw in
            let out = raw.baseAddress!
            var written = 0
            for i in 0..<values.count {
                let value = values[i]
                out.storeBytes(of: UInt32(value.count).littleEndian, toByteOffset: written, as: UInt32.self)
                if value.count > 0 { (out + (written &+ 4)).copyMemory(from: value.baseAddress!, byteCount: value.count) }
                written &+= 4 &+ value.count
            }
            return written
        }
    }
}
