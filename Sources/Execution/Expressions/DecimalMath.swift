/// Scalar helpers for decimals stored as unscaled `Int128` values: powers of ten, HALF_UP
/// rescaling, precision checks, and Spark's exact results (java.math.BigDecimal semantics)
/// for the cases that need more than 128 bits.
enum DecimalMath {
    static let maxPrecision = 38

    /// 10^0 ... 10^38.
    static let powersOfTen: [Int128] = {
        var table: [Int128] = [1]
        for _ in 1...38 { table.append(table.last! * 10) }
        return table
    }()

    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> Int128 { powersOfTen[exponent] }

    static let wideMaxDigits = 78
    /// 10^0 ... 10^77 (the largest below 2^256).
    static let widePowers: [UInt256] = {
        var table = [UInt256(1)]
        for _ in 1...77 { table.append(table.last!.multiplied(by: 10)!) }
        return table
    }()

    static func widePowerOfTen(_ exponent: Int) -> UInt256 { widePowers[exponent] }

    /// True when `value` has at most `precision` digits.
    @inline(__always)
    static func fits(_ value: Int128, precision: Int) -> Bool {
        let bound = powersOfTen[precision]
        return value < bound && value > -bound
    }

    /// `value / 10^exponent` rounded HALF_UP (halves away from zero); `exponent` in 1...38.
    @inline(__always)
    static func divideRoundingHalfUp(_ value: Int128, powerOfTen exponent: Int) -> Int128 {
        divideRoundingHalfUp(value, divisor: powersOfTen[exponent])
    }

    /// `value / divisor` (a positive power of ten) rounded HALF_UP.
    @inline(__always)
    static func divideRoundingHalfUp(_ value: Int128, divisor: Int128) -> Int128 {
        let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
        let magnitude = r.magnitude
        return magnitude >= divisor.magnitude - magnitude ? (value < 0 ? q - 1 : q + 1) : q
    }

    /// `value` at scale `from` moved to scale `to` (HALF_UP when digits are dropped), or nil when
    /// it does not fit 128 bits; precision is the caller's to check.
    @inline(__always)
    static func rescale(_ value: Int128, from: Int, to: Int) -> Int128? {
        if to == from { return value }
        if to < from { return divideRoundingHalfUp(value, powerOfTen: from - to) }
        let exponent = to - from
        guard exponent <= 38 else { return value == 0 ? 0 : nil }
        let (result, overflow) = value.multipliedReportingOverflow(by: powersOfTen[exponent])
        return overflow ? nil : result
    }

    /// A signed wide value: the magnitude and whether it is negative.
    struct Wide {
        var magnitude: UInt256
        var negative: Bool

        init(_ value: Int128) {
            magnitude = UInt256(value.magnitude)
            negative = value < 0
        }

        init(magnitude: UInt256, negative: Bool) {
            self.magnitude = magnitude
            self.negative = negative && !magnitude.isZero
        }

        /// The value when it has at most `precision` digits.
        func narrowed(precision: Int) -> Int128? {
            guard let m = magnitude.narrow, m < powersOfTen[precision].magnitude else { return nil }
            return negative ? -Int128(m) : Int128(m)
        }

        func sum(_ other: Wide) -> Wide? {
            if negative == other.negative {
                guard let m = magnitude.adding(other.magnitude) else { return nil }
                return Wide(magnitude: m, negative: negative)
            }
            if magnitude < other.magnitude {
                return Wide(magnitude: other.magnitude.subtracting(magnitude), negative: other.negative)
            }
            return Wide(magnitude: magnitude.subtracting(other.magnitude), negative: negative)
        }

        /// This value, at scale `from`, moved to scale `to` with HALF_UP rounding.
        func rescaled(from: Int, to: Int) -> Wide? {
            if to >= from {
                guard let m = magnitude.multiplied(byPowerOfTen: to - from) else { return nil }
                return Wide(magnitude: m, negative: negative)
            }
            return Wide(magnitude: magnitude.dividedRoundingHalfUp(byPowerOfTen: from - to), negative: negative)
        }
    }

    // MARK: Exact results (Spark's Decimal operators)

    /// `a ± b` (scales `s1`, `s2`) at scale `scale` with `precision` digits, or nil (NULL) when
    /// it does not fit: BigDecimal's exact sum, then HALF_UP to the result scale.
    static func wideSum(_ a: Int128, _ s1: Int, _ b: Int128, _ s2: Int, subtract: Bool, scale: Int, precision: Int) -> Int128? {
        let common = max(s1, s2)
        guard let wa = Wide(a).rescaled(from: s1, to: common),
              var wb = Wide(b).rescaled(from: s2, to: common) else { return nil }
        if subtract { wb = Wide(magnitude: wb.magnitude, negative: !wb.negative) }
        guard let sum = wa.sum(wb), let result = sum.rescaled(from: common, to: scale) else { return nil }
        return result.narrowed(precision: precision)
    }

    /// `a * b` as Spark computes it: BigDecimal's product rounded HALF_UP to 38 significant
    /// digits (MathContext(38)), then HALF_UP to the result scale.
    static func wideProduct(_ a: Int128, _ s1: Int, _ b: Int128, _ s2: Int, scale: Int, precision: Int) -> Int128? {
        var magnitude = UInt256.product(a.magnitude, b.magnitude)
        var productScale = s1 + s2
        let digits = magnitude.decimalDigitCount
        if digits > maxPrecision {
            let dropped = digits - maxPrecision
            magnitude = magnitude.dividedRoundingHalfUp(byPowerOfTen: dropped)
            productScale -= dropped
        }
        let product = Wide(magnitude: magnitude, negative: (a < 0) != (b < 0))
        guard let result = product.rescaled(from: productScale, to: scale) else { return nil }
        return result.narrowed(precision: precision)
    }

    /// `a / b` as Spark computes it: BigDecimal division to 38 fraction digits (HALF_UP), then
    /// HALF_UP to the result scale; nil for division by zero or a result that does not fit.
    static func wideQuotient(_ a: Int128, _ s1: Int, _ b: Int128, _ s2: Int, scale: Int, precision: Int) -> Int128? {
        guard b != 0 else { return nil }
        let divisor = b.magnitude
        // floor(|a| * 10^e / |b|) by long division, e = 38 - s1 + s2 (the quotient at scale 38).
        let e = maxPrecision - s1 + s2
        let (q0, r0) = a.magnitude.quotientAndRemainder(dividingBy: divisor)
        guard var quotient = UInt256(q0).multiplied(byPowerOfTen: e) else { return nil }
        var remainder = r0
        var remaining = e
        while remaining > 0 {
            let step = min(remaining, 38)
            remaining -= step
            let (digits, r) = UInt256.product(remainder, powerOfTen(step).magnitude).quotientAndRemainder(dividingBy: divisor)
            remainder = r
            guard let shifted = digits.multiplied(byPowerOfTen: remaining), let sum = quotient.adding(shifted) else { return nil }
            quotient = sum
        }
        if remainder >= divisor - remainder { guard let up = quotient.adding(UInt256(1)) else { return nil }; quotient = up }
        let result = Wide(magnitude: quotient, negative: (a < 0) != (b < 0)).rescaled(from: maxPrecision, to: scale)
        return result?.narrowed(precision: precision)
    }

    /// `a % b` (BigDecimal.remainder: the sign of `a`) at the larger scale, or nil for `b == 0`
    /// or a result that does not fit `precision`.
    static func wideRemainder(_ a: Int128, _ s1: Int, _ b: Int128, _ s2: Int, scale: Int, precision: Int) -> Int128? {
        guard b != 0 else { return nil }
        let common = max(s1, s2)
        guard let wa = Wide(a).rescaled(from: s1, to: common), let wb = Wide(b).rescaled(from: s2, to: common) else { return nil }
        let r = wa.magnitude.quotientAndRemainder(dividingBy: wb.magnitude).remainder
        guard let result = Wide(magnitude: r, negative: a < 0).rescaled(from: common, to: scale) else { return nil }
        return result.narrowed(precision: precision)
    }
}
