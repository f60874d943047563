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
    /// Marks a NULL result inside the loops: below -10^38, so never a valid value. (Computed,
    /// not stored: a stored global would be checked for initialisation on every use.)
    @inline(__always)
    static var nullMark: Int128 { .min }

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
                // Both fit 64 bits, so the 128-bit product is exact.
                let values = Loops.binary(a, b, count: n) { (x: Int128, y: Int128) in x &* y }
                return .fixed(type, count: n, values: values, validity: validity)
            case .exactProduct:
                return .fixed(type, count: n, values: Loops.binary(a, b, count: n) { (x: Int128, y: Int128) in x &* y }, validity: validity)
            case .checkedSum(let l, let r, let result, let subtract):
                return DecimalKernels.checked(a, b, n, type, validity, SumPlan(l, r, result, subtract: subtract))
            case .checkedProduct(let l, let r, let result):
                return DecimalKernels.checked(a, b, n, type, validity, ProductPlan(l, r, result))
            case .quotient(let l, let r, let result):
                if let plan = QuotientPlan(l, r, result) { return DecimalKernels.checked(a, b, n, type, validity, plan) }
                return DecimalKernels.checked(a, b, n, type, validity, WideOperation(l, r, result, DecimalMath.wideQuotient))
            case .remainder(let l, let r, let result):
                if let plan = RemainderPlan(l, r) { return DecimalKernels.checked(a, b, n, type, validity, plan) }
                return DecimalKernels.checked(a, b, n, type, validity, WideOperation(l, r, result, DecimalMath.wideRemainder))
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
    /// Generic over the operation (a struct holding its constants), so each is a loop of its own
    /// with the operation inlined.
    static func checked<Operation: DecimalOperation>(
        _ a: Datum, _ b: Datum, _ n: Int, _ type: DataType, _ validity: Buffer?, _ operation: Operation
    ) -> Column {
        let pa = a.column.values(Int128.self), pb = b.column.values(Int128.self)
        let (values, out) = OutputBuffer.allocate(n, of: Int128.self)
        var anyNull = false
        if a.isScalar && !b.isScalar {
            let x = pa[0]
            for i in 0..<n {
                let r = operation(x, pb[i])
                anyNull = anyNull || r == nullMark
                out[i] = r
            }
        } else if b.isScalar && !a.isScalar {
            let y = pb[0]
            for i in 0..<n {
                let r = operation(pa[i], y)
                anyNull = anyNull || r == nullMark
                out[i] = r
            }
        } else {
            for i in 0..<n {
                let r = operation(pa[i], pb[i])
                anyNull = anyNull || r == nullMark
                out[i] = r
            }
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
    static func fitsInt64(_ x: Int128) -> Bool {
        let high = x >> 63
        return high == 0 || high == -1
    }

    /// A checked operation on two unscaled values: the result, or `nullMark`.
    protocol DecimalOperation {
        func callAsFunction(_ x: Int128, _ y: Int128) -> Int128
    }

    /// The constants of a checked sum, computed once per batch rather than per value.
    struct SumPlan: DecimalOperation {
        let l: Operand, r: Operand, result: Operand
        let subtract: Bool
        let common: Int
        let f1: Int128, f2: Int128
        /// The largest magnitudes that can be multiplied by `f1`, `f2` without overflow.
        let limit1: Int128, limit2: Int128
        /// 10^(common - result scale), or 1 when no digit is dropped.
        let divisor: Int128
        let bound: Int128

        init(_ l: Operand, _ r: Operand, _ result: Operand, subtract: Bool) {
            (self.l, self.r, self.result, self.subtract) = (l, r, result, subtract)
            common = max(l.scale, r.scale)
            f1 = DecimalMath.powerOfTen(common - l.scale)
            f2 = DecimalMath.powerOfTen(common - r.scale)
            limit1 = Int128.max / f1 / 2
            limit2 = Int128.max / f2 / 2
            divisor = result.scale < common ? DecimalMath.powerOfTen(common - result.scale) : 1
            bound = DecimalMath.powerOfTen(result.precision)
        }

        @inline(__always)
        func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 {
            // Within the limits neither the rescaled operands nor their sum overflow.
            guard x <= limit1 && x >= -limit1 && y <= limit2 && y >= -limit2 else {
                return DecimalMath.wideSum(x, l.scale, y, r.scale, subtract: subtract, scale: result.scale, precision: result.precision) ?? nullMark
            }
            let s = subtract ? x &* f1 &- y &* f2 : x &* f1 &+ y &* f2
            let rounded = divisor == 1 ? s : DecimalMath.divideRoundingHalfUp(s, divisor: divisor)
            return rounded < bound && rounded > -bound ? rounded : nullMark
        }
    }

    /// The constants of a checked product.
    struct ProductPlan: DecimalOperation {
        let l: Operand, r: Operand, result: Operand
        /// 10^(s1 + s2 - result scale), or 1.
        let divisor: Int128
        let bound: Int128
        let maximum: Int128

        init(_ l: Operand, _ r: Operand, _ result: Operand) {
            (self.l, self.r, self.result) = (l, r, result)
            let productScale = l.scale + r.scale
            divisor = result.scale < productScale ? DecimalMath.powerOfTen(productScale - result.scale) : 1
            bound = DecimalMath.powerOfTen(result.precision)
            maximum = DecimalMath.powerOfTen(38)
        }

        @inline(__always)
        func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 {
            var p: Int128
            if fitsInt64(x) && fitsInt64(y) {
                p = x &* y
            } else {
                let (q, overflow) = x.multipliedReportingOverflow(by: y)
                if overflow { return wide(x, y) }
                p = q
            }
            // More than 38 digits: Spark's MathContext rounds the product first.
            if p >= maximum || p <= -maximum { return wide(x, y) }
            if divisor != 1 { p = DecimalMath.divideRoundingHalfUp(p, divisor: divisor) }
            return p < bound && p > -bound ? p : nullMark
        }

        private func wide(_ x: Int128, _ y: Int128) -> Int128 {
            DecimalMath.wideProduct(x, l.scale, y, r.scale, scale: result.scale, precision: result.precision) ?? nullMark
        }
    }

    /// `x / y` when `|x| * 10^k` (k = result scale - s1 + s2 ≥ 0) always fits 128 bits. Spark
    /// divides to 38 fraction digits HALF_UP and then rounds HALF_UP to the result scale; the
    /// second rounding differs from a single one only when the remainder is just under a half,
    /// which the `unit` test catches (see `DecimalMath.wideQuotient` for the exact form).
    struct QuotientPlan: DecimalOperation {
        let factor: UInt128
        /// m = 38 - result scale, the digits the first rounding keeps beyond the result's.
        let m: Int
        /// 10^m.
        let unit: UInt128
        let bound: UInt128

        init?(_ l: Operand, _ r: Operand, _ result: Operand) {
            let k = result.scale - l.scale + r.scale
            guard k >= 0, l.precision + k <= 38 else { return nil }
            factor = DecimalMath.powerOfTen(k).magnitude
            m = 38 - result.scale
            unit = DecimalMath.powerOfTen(m).magnitude
            bound = DecimalMath.powerOfTen(result.precision).magnitude
        }

        @inline(__always)
        func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 {
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

    /// `x % y` when both operands rescaled to the larger scale fit 128 bits.
    struct RemainderPlan: DecimalOperation {
        let f1: Int128, f2: Int128

        init?(_ l: Operand, _ r: Operand) {
            let common = max(l.scale, r.scale)
            guard l.integerDigits + common <= 38 && r.integerDigits + common <= 38 else { return nil }
            f1 = DecimalMath.powerOfTen(common - l.scale)
            f2 = DecimalMath.powerOfTen(common - r.scale)
        }

        @inline(__always)
        func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 {
            let divisor = y &* f2
            return divisor == 0 ? nullMark : (x &* f1).remainderReportingOverflow(dividingBy: divisor).partialValue
        }
    }

    /// An exact 256-bit operation of `DecimalMath`.
    struct WideOperation: DecimalOperation {
        typealias Function = (Int128, Int, Int128, Int, Int, Int) -> Int128?
        let l: Operand, r: Operand, result: Operand
        let function: Function

        init(_ l: Operand, _ r: Operand, _ result: Operand, _ function: @escaping (Int128, Int, Int128, Int, _ scale: Int, _ precision: Int) -> Int128?) {
            (self.l, self.r, self.result, self.function) = (l, r, result, function)
        }

        func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 {
            function(x, l.scale, y, r.scale, result.scale, result.precision) ?? nullMark
        }
    }
}
