import Columnar


/// Number, date and timestamp text in Spark's (Java's) spelling.
enum NumberText {
    /// Writes an integer in decimal; at most 20 bytes for 64 bits.
    @inline(__always)
    static func writeInteger<T: FixedWidthInteger>(_ value: T, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = UInt64(truncatingIfNeeded: value.magnitude)
        var position = 0
        if value < 0 {
            out[0] = UInt8(ascii: "-")
            position = 1
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
                magnitude /= 10
                count &+= 1
            } while magnitude != 0
            for k in 0..<count { out[position &+ k] = buffer[count &- 1 &- k] }
        }
        return position &+ count
    }

    /// `yyyy-MM-dd`; years outside 0...9999 get a sign.
    @inline(__always)
    static func writeDate(_ days: Int64, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        let (year, month, day) = CivilCalendar.civil(days)
        var position = 0
        if year > 9999 {
            out[0] = UInt8(ascii: "+")
            position = 1 &+ writeInteger(year, out + 1)
        } else if year < 0 {
            out[0] = UInt8(ascii: "-")
            var digits = 4
            var rest = year.magnitude / 10_000
            while rest > 0 { digits &+= 1; rest /= 10 }
            position = 1 &+ writePadded(UInt64(year.magnitude), width: digits, out + 1)
        } else {
            position = writePadded(UInt64(year), width: 4, out)
        }
        out[position] = UInt8(ascii: "-")
        position = position &+ 1 &+ writePadded(UInt64(month), width: 2, out + position + 1)
        out[position] = UInt8(ascii: "-")
        return position &+ 1 &+ writePadded(UInt64(day), width: 2, out + position + 1)
    }

    /// `yyyy-MM-dd HH:mm:ss` and, when the microseconds are not zero, `.` and them without
    /// trailing zeros.
    @inline(__always)
    static func writeTimestamp(_ micros: Int64, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        let day = CivilCalendar.floorDivide(micros, CivilCalendar.microsecondsPerDay)
        let ofDay = micros &- day &* CivilCalendar.microsecondsPerDay
        var position = writeDate(day, out)
        let seconds = ofDay / 1_000_000
        var fraction = ofDay % 1_000_000
        out[position] = UInt8(ascii: " ")
        position &+= 1
        position &+= writePadded(UInt64(seconds / 3600), width: 2, out + position)
        out[position] = UInt8(ascii: ":")
        position &+= 1
        position &+= writePadded(UInt64(seconds / 60 % 60), width: 2, out + position)
        out[position] = UInt8(ascii: ":")
        position &+= 1
        position &+= writePadded(UInt64(seconds % 60), width: 2, out + position)
        if fraction != 0 {
            var digits = 6
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            out[position] = UInt8(ascii: ".")
            position &+= 1
            position &+= writePadded(UInt64(fraction), width: digits, out + position)
        }
        return position
    }

    /// Writes exactly `width` digits (the value must fit), zero-padded.
    @inline(__always)
    static func writePadded(_ value: UInt64, width: Int, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        var v = value
        var k = width
        while k > 0 {
            k &-= 1
            out[k] = UInt8(truncatingIfNeeded: v % 10) &+ 48
            v /= 10
        }
        return width
    }

    static func javaDouble(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        return DecimalDigits(x.description).map { d in x.sign == .minus && d.isZero ? "-0.0" : d.javaText } ?? x.description
    }

    static func javaFloat(_ x: Float) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
        return DecimalDigits(x.description).map { d in x.sign == .minus && d.isZero ? "-0.0" : d.javaText } ?? x.description
    }

    /// `-12.30`: the unscaled value with `scale` fraction digits.
    static func plain(_ unscaled: Int128, scale: Int) -> String {
        var digits = String(unscaled.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return unscaled < 0 ? "-" + digits : digits
    }

    /// java.math.BigDecimal.toString: plain unless the scale is negative or the adjusted
    /// exponent is below -6, then scientific (`1.234E-7`, `0E-10`).
    static func javaDecimal(_ unscaled: Int128, scale: Int) -> String {
        let coefficient = String(unscaled.magnitude)
        let adjusted = -scale + (coefficient.count - 1)
        if scale >= 0 && adjusted >= -6 { return plain(unscaled, scale: scale) }
        var text = unscaled < 0 ? "-" : ""
        text += String(coefficient.prefix(1))
        if coefficient.count > 1 { text += "." + String(coefficient.dropFirst()) }
        text += "E" + (adjusted >= 0 ? "+" : "") + String(adjusted)
        return text
    }
}
