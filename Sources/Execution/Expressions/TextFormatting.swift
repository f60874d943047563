import Columnar

/// Numbers, booleans, dates and timestamps as the text Spark's `CAST(… AS STRING)` gives:
/// integers in decimal, doubles and floats as Java prints them (`1.0`, `1.0E20`, `NaN`),
/// decimals as java.math.BigDecimal.toString (`12.30`, `0E-10` for a tiny scale-10 zero),
/// dates `yyyy-MM-dd`, timestamps `yyyy-MM-dd HH:mm:ss[.ffffff]` without trailing zeros (UTC).
enum TextFormatting {
    typealias Conversion = CastKernels.Conversion

    static func conversion(from source: DataType) throws -> Conversion? {
        if source.isInteger { return try ValueTypes.visitInteger(source, IntegerText()) }
        switch source {
        case .float64:
            return { c in strings(c, maxLength: 32) { (x: Double, out) in write(NumberText.javaDouble(x), out) } }
        case .float32:
            return { c in strings(c, maxLength: 32) { (x: Float, out) in write(NumberText.javaFloat(x), out) } }
        case .decimal(let p, let s) where p <= 38:
            return { c in strings(c, maxLength: 48 + max(s, 0)) { (x: Int128, out) in write(NumberText.javaDecimal(x, scale: s), out) } }
        case .boolean:
            return { c in
                let words = BooleanWords(Datum(column: c), count: c.count)
                var writer = StringColumnWriter(count: c.count, estimatedBytes: c.count * 5)
                for i in 0..<c.count {
                    let text: StaticString = (words[i >> 6] >> UInt64(i & 63)) & 1 != 0 ? "true" : "false"
                    writer.append(text.utf8Start, text.utf8CodeUnitCount)
                }
                return writer.finish(.string, count: c.count, validity: c.validity)
            }
        case .date32:
            return { c in strings(c, maxLength: 16) { (d: Int32, out) in NumberText.writeDate(Int64(d), out) } }
        case .timestamp(let unit, _):
            let perSecond = unit.perSecond
            return { c in
                strings(c, maxLength: 36) { (t: Int64, out) in
                    // To microseconds, rounding down (Spark timestamps are microseconds).
                    let micros = perSecond == 1_000_000 ? t : (perSecond > 1_000_000 ? CivilCalendar.floorDivide(t, perSecond / 1_000_000) : t &* (1_000_000 / perSecond))
                    return NumberText.writeTimestamp(micros, out)
                }
            }
        default:
            return nil
        }
    }

    private struct IntegerText: IntegerTypeVisitor {
        func visit<T: FixedWidthInteger & OrderedValue>(_: T.Type) -> Conversion {
            { c in strings(c, maxLength: 20) { (x: T, out) in NumberText.writeInteger(x, out) } }
        }
    }

    /// A string column with the text `write` produces for each value (at most `maxLength`
    /// bytes); NULL rows get empty strings.
    @inline(__always)
    static func strings<T>(_ c: Column, maxLength: Int, _ write: (T, UnsafeMutablePointer<UInt8>) -> Int) -> Column {
        let values = c.values(T.self)
        var writer = StringColumnWriter(count: c.count, estimatedBytes: c.count * min(maxLength, 16))
        for i in 0..<c.count {
            if c.isNull(i) { writer.endValue(); continue }
            writer.append(maxCount: maxLength) { out in write(values[i], out) }
        }
        return writer.finish(.string, count: c.count, validity: c.validity)
    }

    @inline(__always)
    static func write(_ text: String, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        var text = text
        return text.withUTF8 { utf8 in
            out.update(from: utf8.baseAddress!, count: utf8.count)
            return utf8.count
        }
    }
}
