/// A finite number as its decimal digits: `0.d1 d2 … dn × 10^exponent`, the form in which
/// Spark (via java.math.BigDecimal and Double.toString) rounds and prints floating-point values.
///
/// Built from the shortest round-trip text Swift prints for a double or float (`1.5e-07`,
/// `12.5`), or from any decimal literal (`-0012.50e3`).
struct DecimalDigits: Equatable {
    var negative: Bool
    /// ASCII digits without leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    var exponent: Int

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]`; nil for anything else.
    init?(_ text: String) {
        var bytes = Array(text.utf8)[...]
        negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var mantissa: [UInt8] = []
        var pointPosition: Int? = nil
        var sawDigit = false
        while let b = bytes.first {
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                mantissa.append(b)
                sawDigit = true
            } else if b == UInt8(ascii: "."), pointPosition == nil {
                pointPosition = mantissa.count
            } else {
                break
            }
            bytes = bytes.dropFirst()
        }
        guard sawDigit else { return nil }
        var exponentValue = 0
        if let e = bytes.first {
            guard e == UInt8(ascii: "e") || e == UInt8(ascii: "E") else { return nil }
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                exponentNegative = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            guard !bytes.isEmpty else { return nil }
            for b in bytes {
                guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
                if exponentValue < 100_000 { exponentValue = exponentValue * 10 + Int(b - UInt8(ascii: "0")) }
            }
            if exponentNegative { exponentValue = -exponentValue }
        }
        // Normalise: drop leading zeros (moving the point) and trailing zeros.
        var integerDigits = pointPosition ?? mantissa.count
        var start = 0
        while start < mantissa.count && mantissa[start] == UInt8(ascii: "0") {
            start += 1
            integerDigits -= 1
        }
        var end = mantissa.count
        while end > start && mantissa[end - 1] == UInt8(ascii: "0") { end -= 1 }
        digits = Array(mantissa[start..<end])
        exponent = digits.isEmpty ? 0 : integerDigits + exponentValue
    }

    init(negative: Bool, digits: [UInt8], exponent: Int) {
        self.negative = negative
        self.digits = digits
        self.exponent = exponent
    }

    var isZero: Bool { digits.isEmpty }

    /// The digits rounded HALF_UP to `scale` fraction digits.
    func rounded(scale: Int) -> DecimalDigits {
        let keep = exponent + scale
        if keep >= digits.count { return self }
        if keep < 0 { return DecimalDigits(negative: negative, digits: [], exponent: 0) }
        var kept = Array(digits[0..<keep])
        var newExponent = exponent
        if digits[keep] >= UInt8(ascii: "5") {
            var i = kept.count - 1
            while i >= 0 && kept[i] == UInt8(ascii: "9") {
                kept[i] = UInt8(ascii: "0")
                i -= 1
            }
            if i >= 0 { kept[i] += 1 } else {
                kept.insert(UInt8(ascii: "1"), at: 0)
                newExponent += 1
            }
        }
        while let last = kept.last, last == UInt8(ascii: "0") { kept.removeLast() }
        return DecimalDigits(negative: negative, digits: kept, exponent: kept.isEmpty ? 0 : newExponent)
    }

    /// Text that `Double(_:)` parses back: `-0.12345e3`.
    var text: String {
        if digits.isEmpty { return negative ? "-0" : "0" }
        return (negative ? "-0." : "0.") + String(decoding: digits, as: UTF8.self) + "e\(exponent)"
    }

    /// Text rounded HALF_UP to `scale` fraction digits.
    func roundedText(scale: Int) -> String { rounded(scale: scale).text }

    /// The unscaled value at `scale` (HALF_UP), or nil when it needs more than `precision` digits.
    func unscaled(scale: Int, precision: Int) -> Int128? {
        let r = rounded(scale: scale)
        if r.digits.isEmpty { return 0 }
        let integerLength = r.exponent + scale
        guard integerLength <= precision, integerLength > 0 else { return integerLength <= 0 ? 0 : nil }
        var value: Int128 = 0
        for i in 0..<integerLength {
            value = value * 10 + (i < r.digits.count ? Int128(r.digits[i] - UInt8(ascii: "0")) : 0)
        }
        return r.negative ? -value : value
    }

    /// Java's `Double.toString` layout over these digits: plain (`123.45`, `0.001`) for
    /// magnitudes in [10^-3, 10^7), otherwise computerized scientific notation (`1.0E20`,
    /// `1.234E-5`); at least one digit after the point.
    var javaText: String {
        var out = negative ? "-" : ""
        if digits.isEmpty { return out + "0.0" }
        let d = String(decoding: digits, as: UTF8.self)
        let decimalExponent = exponent - 1
        if decimalExponent >= -3 && decimalExponent < 7 {
            if exponent <= 0 {
                out += "0." + String(repeating: "0", count: -exponent) + d
            } else if exponent >= digits.count {
                out += d + String(repeating: "0", count: exponent - digits.count) + ".0"
            } else {
                out += String(d.prefix(exponent)) + "." + String(d.dropFirst(exponent))
            }
            return out
        }
        out += String(d.prefix(1)) + "." + (digits.count > 1 ? String(d.dropFirst()) : "0")
        return out + "E\(decimalExponent)"
    }
}
