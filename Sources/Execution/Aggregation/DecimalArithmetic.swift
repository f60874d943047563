/// Decimal helpers for aggregates: powers of ten and Spark's decimal average.
enum DecimalArithmetic {
    /// 10^0 … 10^38.
    static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers.last! * 10) }
        return powers
    }()

    /// The largest unscaled value of a decimal with `precision` digits.
    static func maxUnscaled(precision: Int) -> Int128 {
        powersOfTen[min(precision, 38)] - 1
    }

    /// `sum / count` as Spark computes avg(decimal): `Divide(sum, CAST(count AS DECIMAL(20,0)))`
    /// rounds the exact quotient HALF_UP to 38 significant digits (Java's
    /// `BigDecimal.divide(…, MathContext(38, HALF_UP))`), then to the divide's result scale
    /// `intermediate`, then casts to the average's type `result`; a value that does not fit a
    /// precision gives nil (NULL, as Spark without ANSI mode).
    static func sparkAverage(sum: Int128, count: Int64, sumScale: Int,
                             intermediate: (precision: Int, scale: Int),
                             result: (precision: Int, scale: Int)) -> Int128? {
        precondition(count > 0, "average of no values")
        if sum == 0 { return 0 }
        let divisor = UInt64(count)
        let magnitude = WideDecimalMagnitude(sum.magnitude)
        // The quotient at scale sumScale + 38 (|sum| < 2^127, so |sum| * 10^38 < 2^256).
        var scaled = magnitude
        scaled.multiply(byPowerOfTen: 38)
        _ = scaled.divide(by: divisor)
        var scale = sumScale + 38
        let digits = scaled.decimalDigitCount
        // Keep 39 significant digits, truncated: the 39th decides the rounding to 38.
        var quotient: WideDecimalMagnitude
        if digits >= 39 {
            quotient = scaled
            quotient.divide(byPowerOfTen: digits - 39)
            scale -= digits - 39
        } else {
            // A small quotient: more fraction digits (the numerator stays below 2^256 because
            // the quotient has 39 digits and the divisor fits in 64 bits).
            let extra = 39 - digits
            quotient = magnitude
            quotient.multiply(byPowerOfTen: 38 + extra)
            _ = quotient.divide(by: divisor)
            scale += extra
        }
        quotient.roundHalfUp(droppingDigits: 1)
        scale -= 1
        guard quotient.rescale(from: scale, to: intermediate.scale),
              quotient.fits(precision: intermediate.precision),
              quotient.rescale(from: intermediate.scale, to: result.scale),
              quotient.fits(precision: result.precision) else { return nil }
        let value = Int128(quotient.low128)
        return sum < 0 ? -value : value
    }
}

/// An unsigned 256-bit integer: just the arithmetic the decimal average needs.
struct WideDecimalMagnitude: Equatable {
    /// Little-endian 64-bit words.
    var w0, w1, w2, w3: UInt64

    init(_ value: UInt128) {
        w0 = UInt64(truncatingIfNeeded: value)
        w1 = UInt64(truncatingIfNeeded: value >> 64)
        w2 = 0
        w3 = 0
    }

    var isZero: Bool { w0 | w1 | w2 | w3 == 0 }

    var low128: UInt128 { UInt128(w1) << 64 | UInt128(w0) }

    /// Multiplies in place; the caller guarantees the product fits.
    mutating func multiply(by factor: UInt64) {
        var carry: UInt64 = 0
        func step(_ word: inout UInt64) {
            let product = word.multipliedFullWidth(by: factor)
            let (low, overflow) = product.low.addingReportingOverflow(carry)
            word = low
            carry = product.high &+ (overflow ? 1 : 0)
        }
        step(&w0)
        step(&w1)
        step(&w2)
        step(&w3)
        precondition(carry == 0, "256-bit overflow")
    }

    /// Divides in place and returns the remainder.
    @discardableResult
    mutating func divide(by divisor: UInt64) -> UInt64 {
        var remainder: UInt64 = 0
        (w3, remainder) = divisor.dividingFullWidth((high: remainder, low: w3))
        (w2, remainder) = divisor.dividingFullWidth((high: remainder, low: w2))
        (w1, remainder) = divisor.dividingFullWidth((high: remainder, low: w1))
        (w0, remainder) = divisor.dividingFullWidth((high: remainder, low: w0))
        return remainder
    }

    mutating func multiply(byPowerOfTen exponent: Int) {
        var left = exponent
        while left > 0 {
            let step = min(left, 19)
            multiply(by: UInt64(DecimalArithmetic.powersOfTen[step]))
            left -= step
        }
    }

    /// Divides by 10^exponent, truncating.
    mutating func divide(byPowerOfTen exponent: Int) {
        var left = exponent
        while left > 0 {
            let step = min(left, 19)
            divide(by: UInt64(DecimalArithmetic.powersOfTen[step]))
            left -= step
        }
    }

    /// Drops `count` low decimal digits, rounding half up.
    mutating func roundHalfUp(droppingDigits count: Int) {
        guard count > 0 else { return }
        if count > 1 { divide(byPowerOfTen: count - 1) }
        let lastDigit = divide(by: 10)
        if lastDigit >= 5 { add(1) }
    }

    mutating func add(_ value: UInt64) {
        var carry: Bool
        (w0, carry) = w0.addingReportingOverflow(value)
        (w1, carry) = w1.addingReportingOverflow(carry ? 1 : 0)
        (w2, carry) = w2.addingReportingOverflow(carry ? 1 : 0)
        w3 &+= carry ? 1 : 0
    }

    /// Changes the scale: pads with zeros or rounds half up. False when padding would pass
    /// 77 digits (the value cannot fit any decimal then).
    mutating func rescale(from scale: Int, to newScale: Int) -> Bool {
        if newScale < scale {
            roundHalfUp(droppingDigits: scale - newScale)
        } else if newScale > scale {
            guard decimalDigitCount + (newScale - scale) <= 77 else { return false }
            multiply(byPowerOfTen: newScale - scale)
        }
        return true
    }

    /// True when the value has at most `precision` (≤ 38) digits.
    func fits(precision: Int) -> Bool {
        w2 | w3 == 0 && low128 < UInt128(DecimalArithmetic.powersOfTen[precision])
    }

    /// Number of decimal digits (0 for zero).
    var decimalDigitCount: Int {
        var rest = self
        var digits = 0
        while rest.w1 | rest.w2 | rest.w3 != 0 {
            rest.divide(by: 10_000_000_000_000_000_000)
            digits += 19
        }
        var word = rest.w0
        while word != 0 {
            word /= 10
            digits += 1
        }
        return digits
    }
}
