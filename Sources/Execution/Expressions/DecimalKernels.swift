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
///
/// Implementation notes: a value is taken to have at most its type's precision, which the
/// unchecked loops rely on (a wrong value in, a wrong value out; never a trap). Operands of at
/// most 18 digits fit 64 bits, so their product is one 64×64→128-bit multiply. A constant
/// operand is rescaled once, not per row. A dictionary-encoded operand is read through its
/// indices inside the loop (no decoded copy), and one against a constant is computed once per
/// dictionary entry and stays dictionary-encoded.
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
            return shape.datum(operation.apply(a, b, shape.count, type))
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
        /// Digits a value of this type can have when it fits 64 bits (|x| < 2^63 < 10^19).
        var digitsIn64Bits: Int { min(precision, 19) }
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

        /// `a op b` for `n` rows (1 when both are scalars); neither is a NULL scalar.
        func apply(_ a: Datum, _ b: Datum, _ n: Int, _ type: DataType) -> Column {
            if a.isScalar != b.isScalar {
                // A constant against a dictionary-encoded column: once per entry.
                let encoded = a.isScalar ? b.column : a.column
                if case .dictionary(let indices, let dictionary) = encoded.storage, DecimalKernels.isReadable(dictionary),
                   dictionary.count <= encoded.count {
                    let entries = Datum(column: dictionary)
                    let mapped = a.isScalar ? apply(a, entries, dictionary.count, type) : apply(entries, b, dictionary.count, type)
                    if mapped.nullCount > 0 {
                        return Elementwise.remap(mapped, indices: indices, count: encoded.count, validity: encoded.validity)
                    }
                    return Column(type: type, count: encoded.count, validity: encoded.validity, nullCount: encoded.nullCount,
                                  storage: .dictionary(indices: indices, dictionary: mapped))
                }
            }
            // Dictionaries the loops cannot read are decoded (NULL entries then reach the validity).
            let ca = a.isScalar || DecimalKernels.isReadableEncoding(a.column) ? a.column : a.column.materialized()
            let cb = b.isScalar || DecimalKernels.isReadableEncoding(b.column) ? b.column : b.column.materialized()
            let validity = BitWords.and(a.isScalar ? nil : ca.validity, b.isScalar ? nil : cb.validity, count: n)
            return withExtendedLifetime((ca, cb)) {
                run(Values(ca, isScalar: a.isScalar), Values(cb, isScalar: b.isScalar), n, type, validity)
            }
        }

        private func run(_ a: Values, _ b: Values, _ n: Int, _ type: DataType, _ validity: Buffer?) -> Column {
            switch self {
            case .exactSum(var f1, var f2, let subtract):
                // A constant is rescaled once; the sum fits, so the rescaled constant does.
                var a = a, b = b
                if case .scalar(let x) = a, f1 != 1 { (a, f1) = (.scalar(x &* f1), 1) }
                if case .scalar(let y) = b, f2 != 1 { (b, f2) = (.scalar(y &* f2), 1) }
                switch (f1 == 1 && f2 == 1, subtract) {
                case (true, false): return DecimalKernels.run(a, b, n, type, validity, Add())
                case (true, true): return DecimalKernels.run(a, b, n, type, validity, Subtract())
                default: return DecimalKernels.run(a, b, n, type, validity, ScaledSum(f1: f1, f2: f2, subtract: subtract))
                }
            case .exactSmallProduct:
                return DecimalKernels.run(a, b, n, type, validity, SmallProduct())
            case .exactProduct:
                return DecimalKernels.run(a, b, n, type, validity, Product())
            case .checkedSum(let l, let r, let result, let subtract):
                return DecimalKernels.run(a, b, n, type, validity, SumPlan(l, r, result, subtract: subtract))
            case .checkedProduct(let l, let r, let result):
                return DecimalKernels.run(a, b, n, type, validity, ProductPlan(l, r, result))
            case .quotient(let l, let r, let result):
                if let plan = QuotientPlan(l, r, result) { return DecimalKernels.run(a, b, n, type, validity, plan) }
                return DecimalKernels.run(a, b, n, type, validity, WideOperation(l, r, result, DecimalMath.wideQuotient))
            case .remainder(let l, let r, let result):
                if let plan = RemainderPlan(l, r) { return DecimalKernels.run(a, b, n, type, validity, plan) }
                return DecimalKernels.run(a, b, n, type, validity, WideOperation(l, r, result, DecimalMath.wideRemainder))
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

    /// A dictionary whose entries the loops can read by index: plain decimals, no NULLs (a NULL
    /// entry would have to reach the row validity), at least one entry (indices are clamped to
    /// the last).
    static func isReadable(_ dictionary: Column) -> Bool {
        guard case .fixedWidth = dictionary.storage else { return false }
        return dictionary.nullCount == 0 && dictionary.count > 0
    }

    /// True for plain storage and for a dictionary the loops read by index.
    static func isReadableEncoding(_ column: Column) -> Bool {
        guard case .dictionary(_, let dictionary) = column.storage else { return true }
        return isReadable(dictionary)
    }

    /// How a loop reads one operand.
    enum Values {
        case plain(Plain)
        /// One value for every row.
        case scalar(Int128)
        case dictionary(DictionaryValues)

        /// The values of a plain or readable dictionary-encoded column, which must outlive their use.
        init(_ column: Column, isScalar: Bool) {
            if isScalar {
                self = .scalar(column.values(Int128.self)[0])
            } else if case .dictionary(let indices, let dictionary) = column.storage {
                self = .dictionary(DictionaryValues(indices: UnsafePointer(indices.baseAddress.assumingMemoryBound(to: UInt32.self)),
                                                    entries: dictionary.values(Int128.self), last: UInt32(dictionary.count - 1)))
            } else {
                self = .plain(Plain(values: column.values(Int128.self)))
            }
        }
    }

    /// Row `i`'s value of an operand, as the loops read it.
    protocol RowValues {
        subscript(_ i: Int) -> Int128 { get }
    }

    struct Plain: RowValues {
        let values: UnsafePointer<Int128>
        @inline(__always) subscript(_ i: Int) -> Int128 { values[i] }
    }

    struct Repeated: RowValues {
        let value: Int128
        @inline(__always) subscript(_ i: Int) -> Int128 { value }
    }

    /// `entries[indices[i]]`. Indices of NULL rows may be anything, so every index is clamped to
    /// `last` rather than trusted.
    struct DictionaryValues: RowValues {
        let indices: UnsafePointer<UInt32>
        let entries: UnsafePointer<Int128>
        let last: UInt32
        @inline(__always) subscript(_ i: Int) -> Int128 { entries[Int(min(indices[i], last))] }
    }

    /// The loop of one operation over two operands; the operation returns `nullMark` for a row
    /// that is NULL (when it can), and the marks become the validity.
    ///
    /// Generic over the operation (a struct holding its constants) and the operands' readers,
    /// so each combination is a loop of its own with everything inlined; the operands' shapes
    /// are switched on once per batch.
    static func run<Operation: DecimalOperation>(
        _ a: Values, _ b: Values, _ n: Int, _ type: DataType, _ validity: Buffer?, _ operation: Operation
    ) -> Column {
        let (values, out) = OutputBuffer.allocate(n, of: Int128.self)
        let anyNull: Bool
        switch (a, b) {
        case (.plain(let pa), .plain(let pb)): anyNull = loop(out, n, pa, pb, operation)
        case (.scalar(let x), .plain(let pb)): anyNull = loop(out, n, Repeated(value: x), pb, operation)
        case (.plain(let pa), .scalar(let y)): anyNull = loop(out, n, pa, Repeated(value: y), operation)
        case (.scalar(let x), .scalar(let y)): anyNull = loop(out, n, Repeated(value: x), Repeated(value: y), operation)
        case (.plain(let pa), .dictionary(let d)): anyNull = loop(out, n, pa, d, operation)
        case (.dictionary(let d), .plain(let pb)): anyNull = loop(out, n, d, pb, operation)
        case (.scalar(let x), .dictionary(let d)): anyNull = loop(out, n, Repeated(value: x), d, operation)
        case (.dictionary(let d), .scalar(let y)): anyNull = loop(out, n, d, Repeated(value: y), operation)
        case (.dictionary(let d), .dictionary(let e)): anyNull = loop(out, n, d, e, operation)
        }
        guard anyNull else { return .fixed(type, count: n, values: values, validity: validity) }
        let p = values.baseAddress.assumingMemoryBound(to: Int128.self)
        let fits = BitWords.make(count: n) { i in p[i] != nullMark }
        return .fixed(type, count: n, values: values, validity: BitWords.and(validity, fits, count: n))
    }

    /// `out[i] = operation(a[i], b[i])` for `n` rows; true when a result is `nullMark`.
    @inline(__always)
    static func loop<Operation: DecimalOperation, A: RowValues, B: RowValues>(
        _ out: UnsafeMutablePointer<Int128>, _ n: Int, _ a: A, _ b: B, _ operation: Operation
    ) -> Bool {
        var anyNull = false
        for i in 0..<n {
            let r = operation(a[i], b[i])
            if Operation.canBeNull { anyNull = anyNull || r == nullMark }
            out[i] = r
        }
        return anyNull
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

    /// The exact product of two values that fit 64 bits (their low 64 bits are read).
    @inline(__always)
    static func product64(_ x: Int128, _ y: Int128) -> Int128 {
        let (high, low) = Int64(truncatingIfNeeded: x).multipliedFullWidth(by: Int64(truncatingIfNeeded: y))
        return Int128(high) &<< 64 | Int128(low)
    }

    /// An operation on two unscaled values: the result, or `nullMark` for NULL.
    protocol DecimalOperation {
        /// False for an operation that always has a result: its loop keeps no NULL marks.
        static var canBeNull: Bool { get }
        func callAsFunction(_ x: Int128, _ y: Int128) -> Int128
    }

    // MARK: Operations whose results always fit

    struct Add: DecimalOperation {
        static var canBeNull: Bool { false }
        @inline(__always) func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 { x &+ y }
    }

    struct Subtract: DecimalOperation {
        static var canBeNull: Bool { false }
        @inline(__always) func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 { x &- y }
    }

    /// `x * f1 ± y * f2`: operands brought to the result's scale.
    struct ScaledSum: DecimalOperation {
        static var canBeNull: Bool { false }
        let f1: Int128, f2: Int128
        let subtract: Bool
        @inline(__always) func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 {
            subtract ? x &* f1 &- y &* f2 : x &* f1 &+ y &* f2
        }
    }

    /// A product of operands of at most 18 digits.
    struct SmallProduct: DecimalOperation {
        static var canBeNull: Bool { false }
        @inline(__always) func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 { product64(x, y) }
    }

    struct Product: DecimalOperation {
        static var canBeNull: Bool { false }
        @inline(__always) func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 { x &* y }
    }

    // MARK: Checked operations

    /// The constants of a checked sum, computed once per batch rather than per value.
    struct SumPlan: DecimalOperation {
        static var canBeNull: Bool { true }
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
        static var canBeNull: Bool { true }
        let l: Operand, r: Operand, result: Operand
        /// 10^(s1 + s2 - result scale), or 1.
        let divisor: Int128
        let bound: Int128
        let maximum: Int128
        /// True when the product of any two values that fit 64 bits is the result as it is:
        /// nothing to round, and too few digits to overflow (Q1's DECIMAL(32,4) * DECIMAL(16,2)).
        let smallProductFits: Bool

        init(_ l: Operand, _ r: Operand, _ result: Operand) {
            (self.l, self.r, self.result) = (l, r, result)
            let productScale = l.scale + r.scale
            divisor = result.scale < productScale ? DecimalMath.powerOfTen(productScale - result.scale) : 1
            bound = DecimalMath.powerOfTen(result.precision)
            maximum = DecimalMath.powerOfTen(38)
            smallProductFits = divisor == 1 && l.digitsIn64Bits + r.digitsIn64Bits <= result.precision
        }

        @inline(__always)
        func callAsFunction(_ x: Int128, _ y: Int128) -> Int128 {
            var p: Int128
            if fitsInt64(x) && fitsInt64(y) {
                // |x * y| <= 2^126 < 10^38: exact, and within MathContext(38).
                p = product64(x, y)
                if smallProductFits { return p }
            } else {
                let (q, overflow) = x.multipliedReportingOverflow(by: y)
                if overflow { return wide(x, y) }
                p = q
                // More than 38 digits: Spark's MathContext rounds the product first.
                if p >= maximum || p <= -maximum { return wide(x, y) }
            }
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
        static var canBeNull: Bool { true }
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
        static var canBeNull: Bool { true }
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
        static var canBeNull: Bool { true }
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
