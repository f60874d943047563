import Columnar
import Query

/// Decimal `+ - * / %` with Spark's result types (`DecimalTyping`) and values.
///
/// Operands carry their own precision and scale; the result type decides the scale to round
/// to (HALF_UP) and the precision a value must fit, or be NULL (Spark without ANSI mode).
/// Values are unscaled `Int128`s. For each operation the compiler picks, from the operand and
/// result types alone, a loop that needs no checks when the result provably fits (the common
/// case: `a + b`, `a * b` of DECIMAL(15,2)s), a checked loop otherwise, and falls back per
/// value to exact 256-bit arithmetic (`DecimalMath`) when 128 bits are not enough.
enum DecimalKernels {
    /// Marks a NULL result inside the loops: below -10^38, so never a valid value.
    static let nullMark = Int128.min

    static func compile(_ op: BinaryOperator, _ left: Kernel, _ right: Kernel, type: DataType) throws -> Kernel {
        guard case .decimal(let p1, let s1) = left.type, case .decimal(let p2, let s2) = right.type,
              case .decimal(let p, let s) = type, p1 <= 38, p2 <= 38, p <= 38 else {
            throw ExecutionError.unsupported("decimal \(op.rawValue) on \(left.type) and \(right.type)")
        }
        let operation = plan(op, Operand(p1, s1), Operand(p2, s2), Operand(p, s))
        return Kernel(type: type) { batch in
            let a = try left.run(batch), b = try right.run(batch)
            let shape = RowShape(a, b, rowCount: batch.rowCount)
            if a.isNullScalar || b.isNullScalar { return shape.datum(.nulls(type, count: shape.count)) }
            let pa = a.isScalar ? a : Datum(column: a.column.materialized())
            let pb = b.isScalar ? b : Datum(column: b.column.materialized())
            return shape.datum(operation.apply(pa, pb, shape.count, type))
        }.folded(inputs: [left, right])
    }

    struct Operand: Sendable {
        let precision: Int
        let scale: Int
        init(_ precision: Int, _ scale: Int) {
            self.precision = precision
            self.scale = scale
        }
        var integerDigits: Int { precision - scale }
    }

    /// The loop for one operation and type triple.
    enum Operation: Sendable {
        /// `x * f1 ± y * f2`, which cannot overflow.
        case exactSum(f1: Int128, f2: Int128, subtract: Bool)
        case checkedSum(Operand, Operand, Operand, subtract: Bool)
        /// A product of values that fit 64 bits (precision ≤ 18), which cannot overflow.
        case exactSmallProduct
        case exactProduct
        case checkedProduct(Operand, Operand, Operand)
        case quotient(Operand, Operand, Operand)
        case remainder(Operand, Operand, Operand)

        func apply(_ a: Datum, _ b: Datum, _ n: Int, _ type: DataType) -> Column {
            let validity = Datum.validity(a, b, count: n)
            switch self {
            case .exactSum(let f1, let f2, let subtract):
                let values: Buffer
                switch (f1 == 1 && f2 == 1, subtract) {
                case (true, false): values = Loops.binary(a, b, count: n) { (x: Int128, y: Int128) in x &+ y }
                case (true, true): values = Loops.binary(a, b, count: n) { (x: Int128, y: Int128) in x &- y }
                case (false, false): values = Loops.binary(a, b, count: n) { (x: Int128, y: Int128) in x &* f1 &+ y &* f2 }
                case (false, true): values = Loops.binary(a, b, count: n) { (x: Int128, y: Int128) in x &* f1 &- y &* f2 }
                }
                return .fixed(type, count: n, values: values, validity: validity)
            case .exactSmallProduct:
                let values = Loops.binary(a, b, count: n) { (x: Int128, y: Int128) in
                    Int128(Int64(truncatingIfNeeded: x)) &* Int128(Int64(truncatingIfNeeded: y))
                }
                return .fixed(type, count: n, values: values, validity: validity)
            case .exactProduct:
                return .fixed(type, count: n, values: Loops.binary(a, b, count: n) { (x: Int128, y: Int128) in x &* y }, validity: validity)
            case .checkedSum(let l, let r, let result, let subtract):
                return DecimalKernels.checked(a, b, n, type, validity) { x, y in sum(x, y, l, r, result, subtract) }
            case .checkedProduct(let l, let r, let result):
                return DecimalKernels.checked(a, b, n, type, validity) { x, y in product(x, y, l, r, result) }
            case .quotient(let l, let r, let result):
                let fast = result.scale - l.scale + r.scale >= 0 && l.precision + result.scale - l.scale + r.scale <= 38
                if fast {
                    let factor = DecimalMath.powerOfTen(result.scale - l.scale + r.scale).magnitude
                    let m = 38 - result.scale
                    let unit = DecimalMath.powerOfTen(m).magnitude
                    let bound = DecimalMath.powerOfTen(result.precision).magnitude
                    return DecimalKernels.checked(a, b, n, type, validity) { x, y in
                        divide(x, y, factor: factor, m: m, unit: unit, bound: bound)
                    }
                }
                return DecimalKernels.checked(a, b, n, type, validity) { x, y in
                    DecimalMath.wideQuotient(x, l.scale, y, r.scale, scale: result.scale, precision: result.precision) ?? nullMark
                }
            case .remainder(let l, let r, let result):
                let common = max(l.scale, r.scale)
                if l.integerDigits + common <= 38 && r.integerDigits + common <= 38 {
                    let f1 = DecimalMath.powerOfTen(common - l.scale), f2 = DecimalMath.powerOfTen(common - r.scale)
                    return DecimalKernels.checked(a, b, n, type, validity) { x, y in
                        let divisor = y &* f2
                        return divisor == 0 ? nullMark : (x &* f1).remainderReportingOverflow(dividingBy: divisor).partialValue
                    }
                }
                return DecimalKernels.checked(a, b, n, type, validity) { x, y in
                    DecimalMath.wideRemainder(x, l.scale, y, r.scale, scale: result.scale, precision: result.precision) ?? nullMark
                }
            }
        }
    }

    static func plan(_ op: BinaryOperator, _ l: Operand, _ r: Operand, _ result: Operand) -> Operation {
        switch op {
        case .add, .subtract:
            let common = max(l.scale, r.scale)
            if result.scale == common && result.precision >= max(l.integerDigits, r.integerDigits) + common + 1 {
                return .exactSum(f1: DecimalMath.powerOfTen(common - l.scale), f2: DecimalMath.powerOfTen(common - r.scale),
                                 subtract: op == .subtract)
            }
            return .checkedSum(l, r, result, subtract: op == .subtract)
        case .multiply:
            if result.scale == l.scale + r.scale && result.precision >= l.precision + r.precision {
                return l.precision <= 18 && r.precision <= 18 ? .exactSmallProduct : .exactProduct
            }
            return .checkedProduct(l, r, result)
        case .divide:
            return .quotient(l, r, result)
        default:
            return .remainder(l, r, result)
        }
    }

    /// A loop whose operation returns `nullMark` for NULL; the marks become the validity.
    @inline(__always)
    static func checked(
        _ a: Datum, _ b: Datum, _ n: Int, _ type: DataType, _ validity: Buffer?, _ f: (Int128, Int128) -> Int128
    ) -> Column {
        var anyNull = false
        let values = Loops.binary(a, b, count: n) { (x: Int128, y: Int128) -> Int128 in
            let r = f(x, y)
            anyNull = anyNull || r == nullMark
            return r
        }
        guard anyNull else { return .fixed(type, count: n, values: values, validity: validity) }
        let p = values.baseAddress.assumingMemoryBound(to: Int128.self)
        let fits = BitWords.make(count: n) { i in p[i] != nullMark }
        return .fixed(type, count: n, values: values, validity: BitWords.and(validity, fits, count: n))
    }

    /// A unary loop over decimals whose operation returns `nullMark` for NULL.
    @inline(__always)
    static func checkedUnary(_ c: Column, _ type: DataType, _ f: (Int128) -> Int128) -> Column {
        var anyNull = false
        let values = Loops.unary(c) { (x: Int128) -> Int128 in
            let r = f(x)
            anyNull = anyNull || r == nullMark
            return r
        }
        guard anyNull else { return .fixed(type, count: c.count, values: values, validity: c.validity) }
        let p = values.baseAddress.assumingMemoryBound(to: Int128.self)
        let fits = BitWords.make(count: c.count) { i in p[i] != nullMark }
        return .fixed(type, count: c.count, values: values, validity: BitWords.and(c.validity, fits, count: c.count))
    }

    @inline(__always)
    static func fitsInt64(_ x: Int128) -> Bool { Int128(Int64(truncatingIfNeeded: x)) == x }

    static func sum(_ x: Int128, _ y: Int128, _ l: Operand, _ r: Operand, _ result: Operand, _ subtract: Bool) -> Int128 {
        let common = max(l.scale, r.scale)
        guard let rx = DecimalMath.rescale(x, from: l.scale, to: common),
              let ry = DecimalMath.rescale(y, from: r.scale, to: common) else {
            return DecimalMath.wideSum(x, l.scale, y, r.scale, subtract: subtract, scale: result.scale, precision: result.precision) ?? nullMark
        }
        let (s, overflow) = subtract ? rx.subtractingReportingOverflow(ry) : rx.addingReportingOverflow(ry)
        if overflow {
            return DecimalMath.wideSum(x, l.scale, y, r.scale, subtract: subtract, scale: result.scale, precision: result.precision) ?? nullMark
        }
        let rounded = result.scale < common ? DecimalMath.divideRoundingHalfUp(s, powerOfTen: common - result.scale) : s
        return DecimalMath.fits(rounded, precision: result.precision) ? rounded : nullMark
    }

    static func product(_ x: Int128, _ y: Int128, _ l: Operand, _ r: Operand, _ result: Operand) -> Int128 {
        var p: Int128
        if fitsInt64(x) && fitsInt64(y) {
            p = Int128(Int64(truncatingIfNeeded: x)) &* Int128(Int64(truncatingIfNeeded: y))
        } else {
            let (q, overflow) = x.multipliedReportingOverflow(by: y)
            if overflow { return DecimalMath.wideProduct(x, l.scale, y, r.scale, scale: result.scale, precision: result.precision) ?? nullMark }
            p = q
        }
        // More than 38 digits: Spark's MathContext rounds the product first.
        if !DecimalMath.fits(p, precision: 38) {
            return DecimalMath.wideProduct(x, l.scale, y, r.scale, scale: result.scale, precision: result.precision) ?? nullMark
        }
        let productScale = l.scale + r.scale
        if result.scale < productScale {
            p = DecimalMath.divideRoundingHalfUp(p, powerOfTen: productScale - result.scale)
        }
        return DecimalMath.fits(p, precision: result.precision) ? p : nullMark
    }

    /// `x / y` when `|x| * factor` fits 128 bits. Spark divides to 38 fraction digits HALF_UP and
    /// then rounds HALF_UP to the result scale; the second rounding differs from a single one
    /// only when the remainder is just under a half, which the `unit` test catches (see
    /// `DecimalMath.wideQuotient` for the exact form).
    @inline(__always)
    static func divide(_ x: Int128, _ y: Int128, factor: UInt128, m: Int, unit: UInt128, bound: UInt128) -> Int128 {
        if y == 0 { return nullMark }
        let numerator = x.magnitude &* factor
        let divisor = y.magnitude
        var (q, r) = numerator.quotientAndRemainder(dividingBy: divisor)
        var up = r >= divisor &- r
        if !up && m >= 1 && divisor >= unit {
            // Rounded to 38 fraction digits first, the remainder becomes a half when
            // (divisor - 2r) * 10^m <= divisor.
            let (t, overflow) = (divisor &- r &- r).multipliedReportingOverflow(by: unit)
            up = !overflow && t <= divisor
        }
        if up { q &+= 1 }
        guard q < bound else { return nullMark }
        return (x < 0) != (y < 0) ? -Int128(q) : Int128(q)
    }
}
