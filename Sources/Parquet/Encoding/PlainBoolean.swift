import Columnar

/// PLAIN BOOLEAN values: bit-packed LSB first, one bit per value ("using the same packing scheme
/// as the RLE/bit-packing hybrid", Encodings.md), which is also the layout of an Arrow bitmap, so
/// both directions are bit copies.
public enum PlainBoolean {
    /// Copies `count` values starting at value `sourceBit` of `data` into `bitmap` starting at bit
    /// `bitmapOffset`; other bits of `bitmap` are left as they are. Throws if `data` is too short.
    public static func unpack(
        _ data: UnsafeRawBufferPointer, fromBit sourceBit: Int, count: Int,
        into bitmap: UnsafeMutableRawPointer, atBit bitmapOffset: Int
    ) throws(ParquetError) {
        guard sourceBit >= 0 && count >= 0 && bitmapOffset >= 0 else {
            throw .invalidArgument("negative bit offset or count")
        }
        guard sourceBit &+ count <= data.count &* 8 else {
            throw .corrupt("PLAIN BOOLEAN data holds \(data.count * 8 - sourceBit) more values, \(count) requested")
        }
        guard count > 0 else { return }
        copyBits(from: data.baseAddress!, at: sourceBit, to: bitmap, at: bitmapOffset, count: count)
    }

    /// Appends the `count` bits of `bitmap` from bit `bitmapOffset` on as PLAIN BOOLEAN data
    /// (`ceil(count / 8)` bytes, the last zero-padded).
    public static func pack(bitmap: UnsafeRawPointer, fromBit bitmapOffset: Int, count: Int, into output: inout BufferBuilder) {
        precondition(count >= 0 && bitmapOffset >= 0, "negative bit offset or count")
        let byteCount = Bitmap.byteCount(forBits: count)
        output.appendUninitialized(maxByteCount: byteCount) { raw in
            guard byteCount > 0 else { return 0 }
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            copyBits(from: bitmap, at: bitmapOffset, to: raw.baseAddress!, at: 0, count: count)
            return byteCount
        }
    }

    /// Copies `count` bits between LSB-first bitmaps, reading and writing only the bytes that
    /// hold those bits.
    static func copyBits(
        from source: UnsafeRawPointer, at sourceBit: Int, to destination: UnsafeMutableRawPointer, at destinationBit: Int,
        count: Int
    ) {
        var s = sourceBit
        var d = destinationBit
        var left = count
        // Bit by bit until the destination is byte aligned.
        while left > 0 && d & 7 != 0 {
            copyBit(source, s, destination, d)
            s &+= 1; d &+= 1; left &-= 1
        }
        let bytes = left &>> 3
        if bytes > 0 {
            let out = (destination + (d &>> 3)).assumingMemoryBound(to: UInt8.self)
            let shift = UInt8(s & 7)
            let input = (source + (s &>> 3)).assumingMemoryBound(to: UInt8.self)
            if shift == 0 {
                out.update(from: input, count: bytes)
            } else {
                // Each output byte takes the high bits of one input byte and the low bits of the
                // next, both of which hold bits being copied.
                for i in 0..<bytes {
                    out[i] = input[i] &>> shift | input[i &+ 1] &<< (8 &- shift)
                }
            }
            s &+= bytes &* 8; d &+= bytes &* 8; left &-= bytes &* 8
        }
        while left > 0 {
            copyBit(source, s, destination, d)
            s &+= 1; d &+= 1; left &-= 1
        }
    }

    @inline(__always)
    static func copyBit(_ source: UnsafeRawPointer, _ s: Int, _ destination: UnsafeMutableRawPointer, _ d: Int) {
        if Bitmap.isSet(source, s) { Bitmap.set(destination, d) } else { Bitmap.clear(destination, d) }
    }
}
