import Columnar
import Query

/// `abs`, `round`, `floor`, `ceil`.
enum MathKernels {
    static func abs(_ input: Kernel, text: String) throws -> Kernel {
        let type = input.type
        let operation: @Sendable (Column) throws -> Column
        switch type {
        case .float64: operation = { c in .fixed(type, count: c.count, values: Loops.unary(c) { (x: Double) in x.magnitude }, validity: c.validity) }
        case .float32: operation = { c in .fixed(type, count: c.count, values: Loops.unary(c) { (x: Float) in x.magnitude }, validity: c.validity) }
        case .decimal(let p, _) where p <= 38:
            operation = { c in .fixed(type, count: c.count, values: Loops.unary(c) { (x: Int128) in x < 0 ? 0 &- x : x }, validity: c.validity) }
        default:
            guard type.isInteger, let integer = try ValueTypes.visitInteger(type, IntegerAbs(type: type, text: text)) else {
                throw ExecutionError.unsupported("abs of \(type)")
            }
            operation = integer
        }
        return Kernel(type: type) { batch in try Elementwise.map(try input.run(batch), operation) }.folded(inputs: [input])
    }

    private struct IntegerAbs: IntegerTypeVisitor {
        let type: DataType
        let text: String
        func visit<T: FixedWidthInteger & OrderedValue>(_: T.Type) -> @Sendable (Column) throws -> Column {
            let type = self.type, text = self.text
            return { c in
                try ArithmeticKernels.checkedUnary(c, type, ArithmeticKernels.overflow(text, type)) { (x: T) -> (T, Bool) in
                    x < 0 ? T.zero.subtractingReportingOverflow(x) : (x, false)
                }
            }
        }
    }

    // MARK: round

    /// `round(x[, d])`, HALF_UP. Doubles round their shortest decimal form, as Spark does
    /// (`BigDecimal(Double.toString(x)).setScale(d, HALF_UP).toDouble`); decimals change type
    /// (`FunctionSignatures.returnType`).
    static func round(_ input: Kernel, digits: Kernel?, text: String) throws -> Kernel {
        var d: Int64 = 0
        if let digits {
            if digits.isNullConstant {
                return Kernel(type: input.type) { batch in
                    let shape = RowShape(try input.run(batch), rowCount: batch.rowCount)
                    return shape.datum(.nulls(input.type, count: shape.count))
                }
            }
            guard let value = FunctionKernels.constantInteger(digits) else {
                throw QueryError.type("round's second argument must be an integer constant")
            }
            d = value
        }
        let scale = Int(clamping: d)
        let type = try FunctionSignatures.returnType(
            of: "round", arguments: [.literal(.null(input.type)), .literal(.int32(Int32(clamping: d)))],
            argumentTypes: [input.type, .int32])
        let operation: @Sendable (Column) throws -> Column
        switch input.type {
        case .float64:
            operation = { c in .fixed(type, count: c.count, values: Loops.unary(c) { (x: Double) in roundHalfUp(x, scale) }, validity: c.validity) }
        case .float32:
            operation = { c in .fixed(type, count: c.count, values: Loops.unary(c) { (x: Float) in Float(roundHalfUp(Double(x), scale, isFloat: true)) }, validity: c.validity) }
        case .decimal(_, let s):
            guard case .decimal(let p2, let s2) = type else { throw ExecutionError.unsupported("round of \(input.type)") }
            operation = { c in
                DecimalKernels.checkedUnary(c, type) { x in
                    let rounded: Int128
                    if scale >= s { rounded = x }
                    else if s - scale <= 38 { rounded = DecimalMath.divideRoundingHalfUp(x, powerOfTen: s - scale) }
                    else { rounded = 0 }
                    // Back to the result scale: s2 = max(scale, 0) when rounding, else s.
                    let shift = scale >= s ? s2 - s : s2 - scale
                    guard let value = shift >= 0 ? DecimalMath.rescale(rounded, from: 0, to: shift)
                                                 : DecimalMath.rescale(rounded, from: -shift, to: 0) else { return DecimalKernels.nullMark }
                    return DecimalMath.fits(value, precision: p2) ? value : DecimalKernels.nullMark
                }
            }
        default:
            guard input.type.isInteger, let integer = try ValueTypes.visitInteger(input.type, IntegerRound(type: type, scale: scale, text: text)) else {
                throw ExecutionError.unsupported("round of \(input.type)")
            }
            operation = integer
        }
        return Kernel(type: type) { batch in try Elementwise.map(try input.run(batch), operation) }.folded(inputs: [input] + (digits.map { [$0] } ?? []))
    }

    private struct IntegerRound: IntegerTypeVisitor {
        let type: DataType
        let scale: Int
        let text: String
        func visit<T: FixedWidthInteger & OrderedValue>(_: T.Type) -> @Sendable (Column) throws -> Column {
            let type = self.type, text = self.text
            guard scale < 0 else { return { c in c } }
            // 10^-scale, or nil when it exceeds the type (every value then rounds to 0).
            var factor: T? = 1
            for _ in 0..<(-scale) {
                guard let f = factor else { break }
                let (next, overflow) = f.multipliedReportingOverflow(by: 10)
                factor = overflow ? nil : next
            }
            guard let factor else {
                return { c in .fixed(type, count: c.count, values: Buffer(zeroedByteCount: c.count * MemoryLayout<T>.size), validity: c.validity) }
            }
            return { c in
                try ArithmeticKernels.checkedUnary(c, type, ArithmeticKernels.overflow(text, type)) { (x: T) -> (T, Bool) in
                    let (q, r) = x.quotientAndRemainder(dividingBy: factor)
                    let base = q &* factor
                    guard r.magnitude >= factor.magnitude - r.magnitude else { return (base, false) }
                    return x < 0 ? base.subtractingReportingOverflow(factor) : base.addingReportingOverflow(factor)
                }
            }
        }
    }

    /// `x` rounded HALF_UP to `scale` fraction digits (negative: tens, hundreds…) of its shortest
    /// decimal form. A fast path in binary floating point is taken when the result is
    /// unambiguous; near a tie the decimal digits decide. Zero comes out as +0.0 (BigDecimal
    /// has no negative zero).
    @inline(__always)
    static func roundHalfUp(_ x: Double, _ scale: Int, isFloat: Bool = false) -> Double {
        if !x.isFinite { return x }
        let result = roundFinite(x, scale, isFloat: isFloat)
        return result == 0 ? 0 : result
    }

    @inline(__always)
    private static func roundFinite(_ x: Double, _ scale: Int, isFloat: Bool) -> Double {
        // How far the binary value may be from its shortest decimal form, relative to it.
        let tolerance = isFloat ? 0x1p-21 : 0x1p-50
        if scale >= 0 && scale <= 22 {
            let p = exactPowersOfTen[scale]
            let y = x * p
            if y.magnitude < 4.0e15 {
                let truncated = y.rounded(.towardZero)
                let fraction = (y - truncated).magnitude
                if (fraction - 0.5).magnitude > y.magnitude * tolerance + 0x1p-60 {
                    let r = fraction > 0.5 ? truncated + (y < 0 ? -1 : 1) : truncated
                    return r / p
                }
            }
        } else if scale < 0 && scale >= -22 {
            let p = exactPowersOfTen[-scale]
            let y = x / p
            if y.magnitude < 4.0e15 {
                let truncated = y.rounded(.towardZero)
                let fraction = (y - truncated).magnitude
                if (fraction - 0.5).magnitude > y.magnitude * tolerance + 0x1p-60 {
                    let r = fraction > 0.5 ? truncated + (y < 0 ? -1 : 1) : truncated
                    let result = r * p
                    if result.magnitude < 0x1p53 { return result }
                }
            }
        }
        return roundDecimalDigits(isFloat ? Float(x).description : x.description, scale) ?? x
    }

    static let exactPowersOfTen: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// HALF_UP rounding on the text of a number (`1.2345e-05`, `-12.5`), parsed back.
    static func roundDecimalDigits(_ text: String, _ scale: Int) -> Double? {
        guard let parts = DecimalDigits(text) else { return nil }
        return Double(parts.roundedText(scale: scale))
    }

    // MARK: floor, ceil

    static func floorOrCeil(_ input: Kernel, ceil: Bool) throws -> Kernel {
        let type = try FunctionSignatures.returnType(of: ceil ? "ceil" : "floor", arguments: [.literal(.null(input.type))], argumentTypes: [input.type])
        let operation: @Sendable (Column) throws -> Column
        switch input.type {
        case .float64:
            // Math.floor(x).toLong: NaN is 0, values beyond BIGINT saturate (Spark).
            operation = { c in
                .fixed(type, count: c.count, values: Loops.unary(c) { (x: Double) -> Int64 in
                    let r = ceil ? x.rounded(.up) : x.rounded(.down)
                    if r.isNaN { return 0 }
                    if r >= 0x1p63 { return .max }
                    if r < -0x1p63 { return .min }
                    return Int64(r)
                }, validity: c.validity)
            }
        case .int64:
            operation = { c in c }
        case .decimal(_, let s):
            guard case .decimal(let p2, _) = type else { throw ExecutionError.unsupported("floor of \(input.type)") }
            operation = { c in
                DecimalKernels.checkedUnary(c, type) { x in
                    guard s > 0 else { return x }
                    let (q, r) = x.quotientAndRemainder(dividingBy: DecimalMath.powerOfTen(min(s, 38)))
                    let value = ceil ? (r > 0 ? q + 1 : q) : (r < 0 ? q - 1 : q)
                    return DecimalMath.fits(value, precision: p2) ? value : DecimalKernels.nullMark
                }
            }
        default:
            throw ExecutionError.unsupported("\(ceil ? "ceil" : "floor") of \(input.type)")
        }
        return Kernel(type: type) { batch in try Elementwise.map(try input.run(batch), operation) }.folded(inputs: [input])
    }
}
