import Columnar

/// Encodes byte arrays as `DELTA_LENGTH_BYTE_ARRAY = 6`: the lengths as DELTA_BINARY_PACKED, then
/// the value bytes back to back.
public enum DeltaLengthByteArrayEncoder {
    /// Encodes the values of an Arrow variable-width array: value `i` is
    /// `data[offsets[i] ..< offsets[i + 1]]`, so `offsets` holds one more entry than there are values.
    public static func encode(offsets: UnsafeBufferPointer<Int32>, data: UnsafeRawBufferPointer, into output: inout BufferBuilder) {
        let values = ByteArrayOffsetValues(offsets: offsets, data: data)
        var lengths = DeltaBinaryPackedEncoder<Int32>()
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 1024) { scratch in
            var start = 0
            while start < values.count {
                let n = min(1024, values.count &- start)
                for i in 0..<n { scratch[i] = offsets[start &+ i &+ 1] &- offsets[start &+ i] }
                lengths.append(UnsafeBufferPointer(rebasing: scratch[..<n]))
                start &+= n
            }
        }
        lengths.finish(into: &output)
        if values.count > 0 {
            output.append(contentsOf: UnsafeRawBufferPointer(
                rebasing: data[Int(offsets[0])..<Int(offsets[values.count])]))
        }
    }
}
