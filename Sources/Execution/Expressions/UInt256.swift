/// An unsigned 256-bit integer: the exact intermediate of decimal arithmetic whose operands
/// (up to 38 digits each, rescaled by up to 10^38) no longer fit 128 bits.
///
/// Only what the decimal slow paths need: widening products, sums, powers of ten, division by
/// a 128-bit divisor (two `dividingFullWidth` steps) and, for the rare remainder of two wide
/// values, shift-and-subtract division.
struct UInt256: Comparable, Sendable {
    var high: UInt128
    var low: UInt128

    init(high: UInt128, low: UInt128) {
        self.high = high
        self.low = low
    }

    init(_ value: UInt128) {
        high = 0
        low = value
    }

    static let zero = UInt256(0)

    var isZero: Bool { high == 0 && low == 0 }

    /// The value when it fits 128 bits.
    var narrow: UInt128? { high == 0 ? low : nil }

    static func < (a: UInt256, b: UInt256) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }

    /// `a * b`, exactly.
    static func product(_ a: UInt128, _ b: UInt128) -> UInt256 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return UInt256(high: high, low: low)
    }

    /// `self * factor`, or nil when it does not fit 256 bits.
    func multiplied(by factor: UInt128) -> UInt256? {
        let lowProduct = low.multipliedFullWidth(by: factor)
        let highProduct = high.multipliedFullWidth(by: factor)
        guard highProduct.high == 0 else { return nil }
        let (sum, carry) = lowProduct.high.addingReportingOverflow(highProduct.low)
        guard !carry else { return nil }
        return UInt256(high: sum, low: lowProduct.low)
    }

    /// `self * 10^exponent`, or nil when it does not fit.
    func multiplied(byPowerOfTen exponent: Int) -> UInt256? {
        var result = self
        var remaining = exponent
        while remaining > 0 {
            let step = min(remaining, 38)
            guard let next = result.multiplied(by: DecimalMath.powerOfTen(step).magnitude) else { return nil }
            result = next
            remaining -= step
        }
        return result
    }

    /// `self + other`, or nil on overflow.
    func adding(_ other: UInt256) -> UInt256? {
        let (low, carry) = low.addingReportingOverflow(other.low)
        let (high1, overflow1) = high.addingReportingOverflow(other.high)
        let (high2, overflow2) = high1.addingReportingOverflow(carry ? 1 : 0)
        guard !overflow1 && !overflow2 else { return nil }
        return UInt256(high: high2, low: low)
    }

    /// `self - other`, which must not be negative.
    func subtracting(_ other: UInt256) -> UInt256 {
        let (low, borrow) = low.subtractingReportingOverflow(other.low)
        return UInt256(high: high &- other.high &- (borrow ? 1 : 0), low: low)
    }

    /// Quotient and remainder of the division by a nonzero 128-bit divisor.
    func quotientAndRemainder(dividingBy divisor: UInt128) -> (quotient: UInt256, remainder: UInt128) {
        let (highQuotient, highRemainder) = high.quotientAndRemainder(dividingBy: divisor)
        let (lowQuotient, remainder) = divisor.dividingFullWidth((high: highRemainder, low: low))
        return (UInt256(high: highQuotient, low: lowQuotient), remainder)
    }

    /// Quotient and remainder of the division by a nonzero 256-bit divisor (shift and subtract).
    func quotientAndRemainder(dividingBy divisor: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        if let narrowDivisor = divisor.narrow {
            let (q, r) = quotientAndRemainder(dividingBy: narrowDivisor)
            return (q, UInt256(r))
        }
        if self < divisor { return (.zero, self) }
        var quotient = UInt256.zero
        var remainder = UInt256.zero
        for bit in stride(from: 255, through: 0, by: -1) {
            remainder = remainder.shiftedLeftByOne(inserting: self.bit(bit))
            if !(remainder < divisor) {
                remainder = remainder.subtracting(divisor)
                quotient.setBit(bit)
            }
        }
        return (quotient, remainder)
    }

    /// Rounds `self / 10^exponent` half up (away from zero for the magnitude).
    func dividedRoundingHalfUp(byPowerOfTen exponent: Int) -> UInt256 {
        guard exponent > 0 else { return self }
        if exponent <= 38 {
            let divisor = DecimalMath.powerOfTen(exponent).magnitude
            let (q, r) = quotientAndRemainder(dividingBy: divisor)
            return r >= divisor - r ? (q.adding(UInt256(1)) ?? q) : q
        }
        // 10^exponent > 2^128: the quotient by 10^38 then by the rest; the half compares with
        // the second remainder only (the first is below 10^38, the unit of the second).
        let (q1, _) = quotientAndRemainder(dividingBy: DecimalMath.powerOfTen(38).magnitude)
        let rest = exponent - 38
        let divisor = DecimalMath.powerOfTen(rest).magnitude
        let (q2, r2) = q1.quotientAndRemainder(dividingBy: divisor)
        let half = 5 * DecimalMath.powerOfTen(rest - 1).magnitude
        return r2 >= half ? (q2.adding(UInt256(1)) ?? q2) : q2
    }

    /// Number of decimal digits (1 for zero).
    var decimalDigitCount: Int {
        var digits = 1
        while digits < DecimalMath.wideMaxDigits, !(self < DecimalMath.widePowerOfTen(digits)) { digits += 1 }
        return digits
    }

    private func bit(_ index: Int) -> Bool {
        index >= 128 ? (high >> UInt128(index - 128)) & 1 == 1 : (low >> UInt128(index)) & 1 == 1
    }

    private mutating func setBit(_ index: Int) {
        if index >= 128 { high |= 1 << UInt128(index - 128) } else { low |= 1 << UInt128(index) }
    }

    private func shiftedLeftByOne(inserting bit: Bool) -> UInt256 {
        UInt256(high: (high << 1) | (low >> 127), low: (low << 1) | (bit ? 1 : 0))
    }
}
