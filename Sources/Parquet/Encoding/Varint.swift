import Columnar

/// Zigzag mapping of signed to unsigned integers (0, -1, 1, -2… → 0, 1, 2, 3…) and ULEB128 writing.
enum Varint {
    @inline(__always)
    static func zigZagDecode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value &>> 1) ^ -Int64(bitPattern: value & 1)
    }

    @inline(__always)
    static func zigZagEncode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value &>> 63))
    }

    /// Appends `value` as an unsigned LEB128 varint.
    @inline(__always)
    static func appendULEB128(_ value: UInt64, to output: inout BufferBuilder) {
        var value = value
        while value >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value &>>= 7
        }
        output.append(UInt8(truncatingIfNeeded: value))
    }
}
