import Columnar
import Query

/// `+ - * / %` and unary minus on integers and floats (decimals: `DecimalKernels`; dates and
/// timestamps with intervals: `DateTimeKernels`).
///
/// Integer overflow is an error (Sparrow's one departure from Spark's non-ANSI wrapping); the
/// loops record overflow in a flag instead of branching, and only when it is set are the rows
/// checked again, so that garbage in NULL slots cannot raise a false alarm. Division and
/// modulo by zero give NULL, for floats too (Spark).
enum ArithmeticKernels {
    typealias Binary = @Sendable (_ a: Datum, _ b: Datum, _ count: Int) throws -> Column

    static func compile(_ op: BinaryOperator, _ left: Kernel, _ right: Kernel, type: DataType, text: String) throws -> Kernel {
        let operation: Binary
        switch type {
        case .float64: operation = floating(op, Double.self, type: type)
        case .float32: operation = floating(op, Float.self, type: type)
        default:
            guard let integer = try ValueTypes.visitInteger(type, IntegerArithmetic(op: op, type: type, text: text)),
                  left.type == type, right.type == type else {
                throw ExecutionError.unsupported("\(op.rawValue) on \(left.type) and \(right.type)")
            }
            operation = integer
        }
        return Kernel(type: type) { batch in
            let a = try left.run(batch), b = try right.run(batch)
            let shape = RowShape(a, b, rowCount: batch.rowCount)
            if a.isNullScalar || b.isNullScalar { return shape.datum(.nulls(type, count: shape.count)) }
            let pa = a.isScalar ? a : Datum(column: a.column.materialized())
            let pb = b.isScalar ? b : Datum(column: b.column.materialized())
            return shape.datum(try operation(pa, pb, shape.count))
        }.folded(inputs: [left, right])
    }

    static func overflow(_ text: String, _ type: DataType) -> ExecutionError {
        .arithmetic(expression: text, detail: "\(type.sqlName) overflow")
    }

    // MARK: Integers

    private struct IntegerArithmetic: IntegerTypeVisitor {
        let op: BinaryOperator
        let type: DataType
        let text: String

        func visit<T: FixedWidthInteger & OrderedValue>(_: T.Type) -> Binary {
            let type = self.type, text = self.text
            switch op {
            case .add:
                return { a, b, n in try checked(a, b, n, type, text) { (x: T, y: T) in x.addingReportingOverflow(y) } }
            case .subtract:
                return { a, b, n in try checked(a, b, n, type, text) { (x: T, y: T) in x.subtractingReportingOverflow(y) } }
            case .multiply:
                return { a, b, n in try checked(a, b, n, type, text) { (x: T, y: T) in x.multipliedReportingOverflow(by: y) } }
            case .modulo:
                // Java's %: the sign of the dividend; MIN % -1 is 0 (the overflowing quotient is not needed).
                return { a, b, n in
                    let values = Loops.binary(a, b, count: n) { (x: T, y: T) -> T in
                        y == 0 ? 0 : x.remainderReportingOverflow(dividingBy: y).partialValue
                    }
                    let nonZero = nonZeroMask(b, T.self, count: n)
                    return .fixed(type, count: n, values: values, validity: BitWords.and(Datum.validity(a, b, count: n), nonZero, count: n))
                }
            default:
                // Integer `/` is coerced to DOUBLE or DECIMAL before execution.
                return { _, _, _ in throw ExecutionError.unsupported("integer \(op.rawValue)") }
            }
        }
    }

    /// An integer operation that reports overflow; throws when a non-NULL row overflows.
    @inline(__always)
    static func checked<T: FixedWidthInteger>(
        _ a: Datum, _ b: Datum, _ count: Int, _ type: DataType, _ text: String,
        _ f: (T, T) -> (partialValue: T, overflow: Bool)
    ) throws -> Column {
        var overflowed = false
        let values = Loops.binary(a, b, count: count) { (x: T, y: T) -> T in
            let (r, o) = f(x, y)
            overflowed = overflowed || o
            return r
        }
        let validity = Datum.validity(a, b, count: count)
        if overflowed {
            let pa = a.column.values(T.self), pb = b.column.values(T.self)
            for i in 0..<count where validity.map({ Bitmap.isSet($0.baseAddress, i) }) ?? true {
                if f(pa[a.isScalar ? 0 : i], pb[b.isScalar ? 0 : i]).overflow { throw overflow(text, type) }
            }
        }
        return .fixed(type, count: count, values: values, validity: validity)
    }

    /// The rows where `b` is not zero, or nil when none is zero.
    @inline(__always)
    static func nonZeroMask<T: Numeric & BitwiseCopyable>(_ b: Datum, _: T.Type, count: Int) -> Buffer? {
        let pb = b.column.values(T.self)
        if b.isScalar { return pb[0] == 0 ? BitWords.filled(false, count: count) : nil }
        var anyZero = false
        for i in 0..<b.column.count where pb[i] == 0 { anyZero = true; break }
        guard anyZero else { return nil }
        return BitWords.make(count: count) { i in pb[i] != 0 }
    }

    // MARK: Floats

    private static func floating<T: BinaryFloatingPoint & BitwiseCopyable & Sendable>(_ op: BinaryOperator, _: T.Type, type: DataType) -> Binary {
        switch op {
        case .add: return { a, b, n in .fixed(type, count: n, values: Loops.binary(a, b, count: n) { (x: T, y: T) in x + y }, validity: Datum.validity(a, b, count: n)) }
        case .subtract: return { a, b, n in .fixed(type, count: n, values: Loops.binary(a, b, count: n) { (x: T, y: T) in x - y }, validity: Datum.validity(a, b, count: n)) }
        case .multiply: return { a, b, n in .fixed(type, count: n, values: Loops.binary(a, b, count: n) { (x: T, y: T) in x * y }, validity: Datum.validity(a, b, count: n)) }
        case .divide:
            return { a, b, n in
                let values = Loops.binary(a, b, count: n) { (x: T, y: T) in x / y }
                return .fixed(type, count: n, values: values, validity: BitWords.and(Datum.validity(a, b, count: n), nonZeroMask(b, T.self, count: n), count: n))
            }
        default:
            // Java's % on doubles is fmod: the sign of the dividend.
            return { a, b, n in
                let values = Loops.binary(a, b, count: n) { (x: T, y: T) in x.truncatingRemainder(dividingBy: y) }
                return .fixed(type, count: n, values: values, validity: BitWords.and(Datum.validity(a, b, count: n), nonZeroMask(b, T.self, count: n), count: n))
            }
        }
    }

    // MARK: Negation

    static func negate(_ operand: Kernel, text: String) throws -> Kernel {
        let type = operand.type
        let operation: @Sendable (Column) throws -> Column
        switch type {
        case .float64: operation = { c in .fixed(type, count: c.count, values: Loops.unary(c) { (x: Double) in -x }, validity: c.validity) }
        case .float32: operation = { c in .fixed(type, count: c.count, values: Loops.unary(c) { (x: Float) in -x }, validity: c.validity) }
        case .decimal(let p, _) where p <= 38:
            operation = { c in .fixed(type, count: c.count, values: Loops.unary(c) { (x: Int128) in 0 &- x }, validity: c.validity) }
        default:
            guard let integer = try ValueTypes.visitInteger(type, IntegerNegation(type: type, text: text)), type.isInteger else {
                throw ExecutionError.unsupported("negation of \(type)")
            }
            operation = integer
        }
        return Kernel(type: type) { batch in
            try Elementwise.map(try operand.run(batch), operation)
        }.folded(inputs: [operand])
    }

    private struct IntegerNegation: IntegerTypeVisitor {
        let type: DataType
        let text: String

        func visit<T: FixedWidthInteger & OrderedValue>(_: T.Type) -> @Sendable (Column) throws -> Column {
            let type = self.type, text = self.text
            return { c in
                let zero = Datum(scalar: .fixed(type, count: 1, values: Buffer(zeroedByteCount: MemoryLayout<T>.size), validity: nil))
                return try checked(zero, Datum(column: c), c.count, type, text) { (x: T, y: T) in x.subtractingReportingOverflow(y) }
            }
        }
    }
}

extension ArithmeticKernels {
    /// `f(a[i])` over a plain column, where `f` reports values it cannot compute; throws
    /// `overflow` when a non-NULL row reports one (NULL slots may hold anything).
    @inline(__always)
    static func checkedUnary<A, R>(
        _ a: Column, _ type: DataType, _ error: @autoclosure () -> ExecutionError, _ f: (A) -> (R, Bool)
    ) throws -> Column {
        var failed = false
        let values = Loops.unary(a) { (x: A) -> R in
            let (r, bad) = f(x)
            failed = failed || bad
            return r
        }
        if failed {
            let pa = a.values(A.self)
            for i in 0..<a.count where a.isValid(i) && f(pa[i]).1 { throw error() }
        }
        return .fixed(type, count: a.count, values: values, validity: a.validity)
    }
}
