/// Writes floating-point values as the shortest digits that round-trip at their own precision.
///
/// Floats are the one place where text goes through a `String`: Swift's `description` already
/// produces the shortest round-trip digits (`0.1`, `1e+20`, `5e-324`, `-0.0`), and values up to 15
/// characters stay in the string's inline storage, so most values do not allocate.
enum FloatText {
    /// Most bytes `write` produces ("-2.2250738585072014e-308" is 24; quotes around "-Infinity").
    static let maxByteCount = 32

    /// Writes `value`; NaN and infinities become `NaN`, `Infinity`, `-Infinity`, in double quotes
    /// when `quoteSpecials` is set (they are not JSON numbers).
    @inline(__always)
    static func write<F: BinaryFloatingPoint & CustomStringConvertible>(
        _ value: F, quoteSpecials: Bool, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        if value.isFinite {
            var text = value.description
            return text.withUTF8 { utf8 in
                out.update(from: utf8.baseAddress!, count: utf8.count)
                return utf8.count
            }
        }
        let special: StaticString = value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity")
        var position = 0
        if quoteSpecials { out[0] = UInt8(ascii: "\""); position = 1 }
        out.advanced(by: position).update(from: special.utf8Start, count: special.utf8CodeUnitCount)
        position += special.utf8CodeUnitCount
        if quoteSpecials { out[position] = UInt8(ascii: "\""); position += 1 }
        return position
    }
}
