import Columnar
import Query

/// `CAST(e AS type)` between numbers, booleans, strings, dates and timestamps, with Spark's
/// results: a value that does not fit a DECIMAL is NULL (non-ANSI), one that does not fit an
/// integer type is an error (as with ANSI mode, rather than a silent wrap): every
/// integer width, floats and decimals (HALF_UP) into each other; numbers, booleans, dates and
/// timestamps to their Spark text; strings (trimmed) to numbers, booleans, dates and
/// timestamps, NULL when the text is not one.
///
/// The conversion is chosen once for the pair of types; a dictionary-encoded input is converted
/// once per dictionary entry.
enum CastKernels {
    typealias Conversion = @Sendable (Column) throws -> Column

    static func compile(_ input: Kernel, to target: DataType, text: String) throws -> Kernel {
        let source = input.type
        if source == target { return input }
        if input.isNullConstant { return Kernel(constant: Datum(scalar: .nulls(target, count: 1))) }
        let conversion = try self.conversion(from: source, to: target, text: text)
        return Kernel(type: target) { batch in try Elementwise.map(try input.run(batch), conversion) }.folded(inputs: [input])
    }

    /// `f(a[i])` into a DECIMAL, where a value that does not fit (nil) is NULL, as Spark's
    /// non-ANSI casts to DECIMAL give.
    @inline(__always)
    static func nullingToDecimal<A>(_ c: Column, _ type: DataType, _ f: (A) -> Int128?) -> Column {
        var anyNull = false
        let values = Loops.unary(c) { (x: A) -> Int128 in
            guard let v = f(x) else {
                anyNull = true
                return DecimalKernels.nullMark
            }
            return v
        }
        guard anyNull else { return .fixed(type, count: c.count, values: values, validity: c.validity) }
        let p = values.baseAddress.assumingMemoryBound(to: Int128.self)
        let fits = BitWords.make(count: c.count) { i in p[i] != DecimalKernels.nullMark }
        return .fixed(type, count: c.count, values: values, validity: BitWords.and(c.validity, fits, count: c.count))
    }

    static func outOfRange(_ text: String, _ target: DataType) -> ExecutionError {
        .arithmetic(expression: text, detail: "the value is out of the range of \(target.sqlName)")
    }

    static func conversion(from source: DataType, to target: DataType, text: String) throws -> Conversion {
        let unsupported = ExecutionError.unsupported("cast from \(source.sqlName) to \(target.sqlName)")
        if source.layout == .variableWidth && target.layout == .variableWidth {
            return { c in c.retyped(target) }
        }
        if source.layout == .variableWidth {
            guard source.isText, let parse = StringParsing.conversion(to: target) else { throw unsupported }
            return parse
        }
        if target.isText {
            guard let format = try TextFormatting.conversion(from: source) else { throw unsupported }
            return { c in try format(c).retyped(target) }
        }
        if source.isInteger {
            guard let conversion = try ValueTypes.visitInteger(source, FromInteger(target: target, text: text)) else { throw unsupported }
            return conversion
        }
        switch source {
        case .float64: return try fromFloat(Double.self, to: target, text: text)
        case .float32: return try fromFloat(Float.self, to: target, text: text)
        case .decimal(let p, let s) where p <= 38: return try fromDecimal(p, s, to: target, text: text)
        case .boolean: return try fromBoolean(to: target)
        case .date32:
            guard case .timestamp(let unit, _) = target else { throw unsupported }
            let factor = DateTimeKernels.perDay(unit)
            return { c in
                try ArithmeticKernels.checkedUnary(c, target, outOfRange(text, target)) { (d: Int32) in Int64(d).multipliedReportingOverflow(by: factor) }
            }
        case .timestamp(let unit, _):
            switch target {
            case .date32:
                let factor = DateTimeKernels.perDay(unit)
                return { c in
                    try ArithmeticKernels.checkedUnary(c, target, outOfRange(text, target)) { (t: Int64) -> (Int32, Bool) in
                        let day = CivilCalendar.floorDivide(t, factor)
                        return (Int32(truncatingIfNeeded: day), Int64(Int32(truncatingIfNeeded: day)) != day)
                    }
                }
            case .timestamp(let targetUnit, _):
                return { c in try convertTimestamp(c, from: unit, to: targetUnit, type: target, text: text) }
            default: throw unsupported
            }
        default:
            throw unsupported
        }
    }

    static func convertTimestamp(_ c: Column, from: TimeUnit, to: TimeUnit, type: DataType, text: String) throws -> Column {
        if from.perSecond == to.perSecond { return c.retyped(type) }
        if from.perSecond > to.perSecond {
            let factor = from.perSecond / to.perSecond
            return .fixed(type, count: c.count, values: Loops.unary(c) { (t: Int64) in CivilCalendar.floorDivide(t, factor) }, validity: c.validity)
        }
        let factor = to.perSecond / from.perSecond
        return try ArithmeticKernels.checkedUnary(c, type, outOfRange(text, type)) { (t: Int64) in t.multipliedReportingOverflow(by: factor) }
    }

    // MARK: From integers

    private struct FromInteger: IntegerTypeVisitor {
        let target: DataType
        let text: String

        func visit<S: FixedWidthInteger & OrderedValue>(_: S.Type) throws -> Conversion {
            let target = self.target, text = self.text
            if target.isInteger, let conversion = try ValueTypes.visitInteger(target, IntegerToInteger<S>(target: target, text: text)) {
                return conversion
            }
            switch target {
            case .float64:
                return { c in .fixed(target, count: c.count, values: Loops.unary(c) { (x: S) in Double(x) }, validity: c.validity) }
            case .float32:
                return { c in .fixed(target, count: c.count, values: Loops.unary(c) { (x: S) in Float(x) }, validity: c.validity) }
            case .decimal(let p, let s) where p <= 38:
                let factor = DecimalMath.powerOfTen(s)
                let bound = DecimalMath.powerOfTen(p)
                return { c in
                    nullingToDecimal(c, target) { (x: S) -> Int128? in
                        let (v, overflow) = Int128(x).multipliedReportingOverflow(by: factor)
                        return overflow || v >= bound || v <= -bound ? nil : v
                    }
                }
            case .boolean:
                return { c in .booleans(count: c.count, bits: Loops.unaryBits(c) { (x: S) in x != 0 }, validity: c.validity) }
            default:
                throw ExecutionError.unsupported("cast to \(target.sqlName)")
            }
        }
    }

    private struct IntegerToInteger<S: FixedWidthInteger & OrderedValue>: IntegerTypeVisitor {
        let target: DataType
        let text: String

        func visit<D: FixedWidthInteger & OrderedValue>(_: D.Type) -> Conversion {
            let target = self.target, text = self.text
            return { c in
                try ArithmeticKernels.checkedUnary(c, target, outOfRange(text, target)) { (x: S) -> (D, Bool) in
                    let d = D(truncatingIfNeeded: x)
                    return (d, S(truncatingIfNeeded: d) != x || (d < 0) != (x < 0))
                }
            }
        }
    }

    // MARK: From floats

    private static func fromFloat<F: BinaryFloatingPoint & BitwiseCopyable & LosslessStringConvertible & Sendable>(
        _: F.Type, to target: DataType, text: String
    ) throws -> Conversion {
        if target.isInteger {
            guard let conversion = try ValueTypes.visitInteger(target, FloatToInteger<F>(target: target, text: text)) else {
                throw ExecutionError.unsupported("cast to \(target)")
            }
            return conversion
        }
        switch target {
        case .float64:
            return { c in .fixed(target, count: c.count, values: Loops.unary(c) { (x: F) in Double(x) }, validity: c.validity) }
        case .float32:
            return { c in .fixed(target, count: c.count, values: Loops.unary(c) { (x: F) in Float(x) }, validity: c.validity) }
        case .boolean:
            return { c in .booleans(count: c.count, bits: Loops.unaryBits(c) { (x: F) in x != 0 }, validity: c.validity) }
        case .decimal(let p, let s) where p <= 38:
            let isFloat = F.self == Float.self
            return { c in
                nullingToDecimal(c, target) { (x: F) -> Int128? in floatToDecimal(Double(x), scale: s, precision: p, isFloat: isFloat) }
            }
        default:
            throw ExecutionError.unsupported("cast from \(F.self) to \(target.sqlName)")
        }
    }

    private struct FloatToInteger<F: BinaryFloatingPoint & BitwiseCopyable & Sendable>: IntegerTypeVisitor {
        let target: DataType
        let text: String

        func visit<D: FixedWidthInteger & OrderedValue>(_: D.Type) -> Conversion {
            let target = self.target, text = self.text
            return { c in
                try ArithmeticKernels.checkedUnary(c, target, outOfRange(text, target)) { (x: F) -> (D, Bool) in
                    guard let d = D(exactly: x.rounded(.towardZero)) else { return (0, true) }
                    return (d, false)
                }
            }
        }
    }

    /// The decimal of a double's shortest text (Spark: `BigDecimal(Double.toString(x))`),
    /// HALF_UP to `scale`; nil for NaN, infinities and values that need more than `precision`
    /// digits.
    static func floatToDecimal(_ x: Double, scale: Int, precision: Int, isFloat: Bool) -> Int128? {
        guard x.isFinite else { return nil }
        if scale <= 22 {
            let y = x * MathKernels.exactPowersOfTen[scale]
            if y.magnitude < 4.0e15 {
                let tolerance = isFloat ? 0x1p-21 : 0x1p-50
                let truncated = y.rounded(.towardZero)
                let fraction = (y - truncated).magnitude
                if (fraction - 0.5).magnitude > y.magnitude * tolerance + 0x1p-60 {
                    let r = Int128(fraction > 0.5 ? truncated + (y < 0 ? -1 : 1) : truncated)
                    return DecimalMath.fits(r, precision: precision) ? r : nil
                }
            }
        }
        let shortest = isFloat ? Float(x).description : x.description
        return DecimalDigits(shortest)?.unscaled(scale: scale, precision: precision)
    }

    // MARK: From decimals

    private static func fromDecimal(_ p: Int, _ s: Int, to target: DataType, text: String) throws -> Conversion {
        if target.isInteger {
            guard let conversion = try ValueTypes.visitInteger(target, DecimalToInteger(scale: s, target: target, text: text)) else {
                throw ExecutionError.unsupported("cast to \(target)")
            }
            return conversion
        }
        switch target {
        case .decimal(let p2, let s2) where p2 <= 38:
            return { c in
                nullingToDecimal(c, target) { (x: Int128) -> Int128? in
                    guard let v = DecimalMath.rescale(x, from: s, to: s2), DecimalMath.fits(v, precision: p2) else { return nil }
                    return v
                }
            }
        case .float64:
            return { c in .fixed(target, count: c.count, values: Loops.unary(c) { (x: Int128) in decimalToDouble(x, scale: s) }, validity: c.validity) }
        case .float32:
            return { c in .fixed(target, count: c.count, values: Loops.unary(c) { (x: Int128) in decimalToFloat(x, scale: s) }, validity: c.validity) }
        case .boolean:
            return { c in .booleans(count: c.count, bits: Loops.unaryBits(c) { (x: Int128) in x != 0 }, validity: c.validity) }
        default:
            throw ExecutionError.unsupported("cast from DECIMAL to \(target.sqlName)")
        }
    }

    private struct DecimalToInteger: IntegerTypeVisitor {
        let scale: Int
        let target: DataType
        let text: String

        func visit<D: FixedWidthInteger & OrderedValue>(_: D.Type) -> Conversion {
            let target = self.target, text = self.text
            let divisor = DecimalMath.powerOfTen(scale)
            return { c in
                try ArithmeticKernels.checkedUnary(c, target, outOfRange(text, target)) { (x: Int128) -> (D, Bool) in
                    // Truncated toward zero, as BigDecimal.longValue does.
                    guard let d = D(exactly: x / divisor) else { return (0, true) }
                    return (d, false)
                }
            }
        }
    }

    /// The double nearest to `unscaled / 10^scale` (BigDecimal.doubleValue).
    @inline(__always)
    static func decimalToDouble(_ unscaled: Int128, scale: Int) -> Double {
        if unscaled.magnitude <= 1 << 53 && scale <= 22 {
            // Both exact: one correctly rounded division.
            return Double(unscaled) / MathKernels.exactPowersOfTen[scale]
        }
        return Double(NumberText.plain(unscaled, scale: scale)) ?? .nan
    }

    @inline(__always)
    static func decimalToFloat(_ unscaled: Int128, scale: Int) -> Float {
        if unscaled.magnitude <= 1 << 24 && scale <= 10 {
            return Float(unscaled) / Float(MathKernels.exactPowersOfTen[scale])
        }
        return Float(NumberText.plain(unscaled, scale: scale)) ?? .nan
    }

    // MARK: From booleans

    private static func fromBoolean(to target: DataType) throws -> Conversion {
        func fixed<T: BitwiseCopyable & Sendable>(_ one: T, _ zero: T) -> Conversion {
            { c in
                let words = BooleanWords(Datum(column: c), count: c.count)
                let (values, out) = OutputBuffer.allocate(c.count, of: T.self)
                for i in 0..<c.count { out[i] = (words[i >> 6] >> UInt64(i & 63)) & 1 != 0 ? one : zero }
                return .fixed(target, count: c.count, values: values, validity: c.validity)
            }
        }
        switch target {
        case .int8: return fixed(Int8(1), Int8(0))
        case .int16: return fixed(Int16(1), Int16(0))
        case .int32: return fixed(Int32(1), Int32(0))
        case .int64: return fixed(Int64(1), Int64(0))
        case .uint8: return fixed(UInt8(1), UInt8(0))
        case .uint16: return fixed(UInt16(1), UInt16(0))
        case .uint32: return fixed(UInt32(1), UInt32(0))
        case .uint64: return fixed(UInt64(1), UInt64(0))
        case .float32: return fixed(Float(1), Float(0))
        case .float64: return fixed(Double(1), Double(0))
        case .decimal(let p, let s) where p <= 38 && p > s: return fixed(DecimalMath.powerOfTen(s), Int128(0))
        default: throw ExecutionError.unsupported("cast from BOOLEAN to \(target.sqlName)")
        }
    }
}
