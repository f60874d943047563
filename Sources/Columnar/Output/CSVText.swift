/// RFC 4180 field quoting: a field is quoted only when it contains the delimiter, a quote, CR or LF,
/// and quotes inside it are doubled.
enum CSVText {
    /// Most bytes `writeField` writes for `count` input bytes.
    @inline(__always)
    static func maxFieldByteCount(_ count: Int) -> Int { count &* 2 &+ 2 }

    /// True when a field containing `byte` must be quoted.
    @inline(__always)
    static func isSpecial(_ byte: UInt8, delimiter: UInt8) -> Bool {
        byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D
    }

    /// True when some byte of `w` is zero (Bit Twiddling Hacks, "haszero").
    @inline(__always)
    static func hasZeroByte(_ w: UInt64) -> Bool {
        (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080 != 0
    }

    /// True when the `count` bytes at `source` need quoting.
    @inline(__always)
    static func needsQuotes(_ source: UnsafePointer<UInt8>, count: Int, delimiter: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let delimiters = ones &* UInt64(delimiter)
        var i = 0
        while i &+ 8 <= count {
            let w = UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self)
            if hasZeroByte(w ^ delimiters) || hasZeroByte(w ^ (ones &* 0x22))
                || hasZeroByte(w ^ (ones &* 0x0A)) || hasZeroByte(w ^ (ones &* 0x0D)) {
                return true
            }
            i &+= 8
        }
        while i < count {
            if isSpecial(source[i], delimiter: delimiter) { return true }
            i &+= 1
        }
        return false
    }

    /// Writes a non-null text field: as is, or quoted when needed; the empty string is `""` so that
    /// it differs from null (an empty unquoted field).
    @inline(__always)
    static func writeField(
        _ source: UnsafePointer<UInt8>, count: Int, delimiter: UInt8, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        if count == 0 {
            out[0] = 0x22
            out[1] = 0x22
            return 2
        }
        if !needsQuotes(source, count: count, delimiter: delimiter) {
            out.update(from: source, count: count)
            return count
        }
        return writeQuoted(source, count: count, to: out)
    }

    /// Writes `"…"` with inner quotes doubled.
    @inline(__always)
    static func writeQuoted(_ source: UnsafePointer<UInt8>, count: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = 0x22
        var o = 1
        for i in 0..<count {
            let byte = source[i]
            out[o] = byte
            o &+= 1
            if byte == 0x22 {
                out[o] = 0x22
                o &+= 1
            }
        }
        out[o] = 0x22
        return o &+ 1
    }
}
