import Columnar

/// A single typed value: a literal in an expression, a constant folded by the optimizer, a
/// statistics bound.
///
/// The payload is stored in the widest Swift type of its family (all integers as `Int64` or
/// `UInt64`, floats as `Double`, decimals as their unscaled `Int128`, dates as days, timestamps and
/// times in the type's unit), and `type` says which `DataType` it is.
public struct ScalarValue: Hashable, Sendable, CustomStringConvertible {
    public enum Payload: Hashable, Sendable {
        case null
        case boolean(Bool)
        case int(Int64)
        case uint(UInt64)
        case double(Double)
        /// Unscaled value; the scale is in `type`.
        case decimal(Int128)
        case string(String)
        case bytes([UInt8])
        /// An `INTERVAL` literal: calendar months, days and microseconds, kept apart because a
        /// month has no fixed length.
        case interval(months: Int32, days: Int32, microseconds: Int64)
    }

    public var payload: Payload
    public var type: DataType
    /// True for the `NULL` literal before the analyzer gives it the type its context needs
    /// (Spark's NullType); `type` is then only a placeholder.
    public var isUntypedNull: Bool

    public init(_ payload: Payload, type: DataType) {
        self.payload = payload
        self.type = type
        self.isUntypedNull = false
    }

    /// The `NULL` literal as written, typed later from its context.
    public static var untypedNull: ScalarValue {
        var value = ScalarValue(.null, type: .int32)
        value.isUntypedNull = true
        return value
    }

    public static func null(_ type: DataType) -> ScalarValue { ScalarValue(.null, type: type) }
    public static func boolean(_ value: Bool) -> ScalarValue { ScalarValue(.boolean(value), type: .boolean) }
    public static func int32(_ value: Int32) -> ScalarValue { ScalarValue(.int(Int64(value)), type: .int32) }
    public static func int64(_ value: Int64) -> ScalarValue { ScalarValue(.int(value), type: .int64) }
    public static func double(_ value: Double) -> ScalarValue { ScalarValue(.double(value), type: .float64) }
    public static func string(_ value: String) -> ScalarValue { ScalarValue(.string(value), type: .string) }
    public static func date(_ days: Int32) -> ScalarValue { ScalarValue(.int(Int64(days)), type: .date32) }
    /// A timestamp in microseconds since the epoch; `utc` for Spark's TIMESTAMP (LTZ), false for TIMESTAMP_NTZ.
    public static func timestamp(microseconds: Int64, utc: Bool = false) -> ScalarValue {
        ScalarValue(.int(microseconds), type: .timestamp(.microseconds, isAdjustedToUTC: utc))
    }
    public static func interval(months: Int32 = 0, days: Int32 = 0, microseconds: Int64 = 0) -> ScalarValue {
        ScalarValue(.interval(months: months, days: days, microseconds: microseconds), type: .interval)
    }
    public static func decimal(_ unscaled: Int128, precision: Int, scale: Int) -> ScalarValue {
        ScalarValue(.decimal(unscaled), type: .decimal(precision: precision, scale: scale))
    }

    public var isNull: Bool { payload == .null }

    public var description: String {
        switch payload {
        case .null: return "NULL"
        case .boolean(let value): return value ? "true" : "false"
        case .int(let value):
            if type == .date32 { return "DATE '\(DateFormatting.date(Int32(truncatingIfNeeded: value)))'" }
            if case .timestamp(let unit, let utc) = type {
                return "TIMESTAMP '\(DateFormatting.timestamp(value, unit: unit))\(utc ? "Z" : "")'"
            }
            return String(value)
        case .uint(let value): return String(value)
        case .double(let value): return value.description
        case .decimal(let unscaled):
            guard case .decimal(_, let scale) = type else { return String(unscaled) }
            return DecimalFormatting.string(unscaled, scale: scale)
        case .string(let value): return "'" + value.replacingAll("'", with: "''") + "'"
        case .bytes(let value): return "X'" + value.map { String($0, radix: 16).leftPadded(to: 2) }.joined() + "'"
        case .interval(let months, let days, let microseconds):
            var parts: [String] = []
            if months != 0 { parts.append("\(months) MONTHS") }
            if days != 0 { parts.append("\(days) DAYS") }
            if microseconds != 0 || parts.isEmpty { parts.append("\(microseconds) MICROSECONDS") }
            return "INTERVAL " + parts.joined(separator: " ")
        }
    }
}

/// Text forms of decimals for plans and messages.
public enum DecimalFormatting {
    public static func string(_ unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        var digits = String(unscaled.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }
}

/// Text forms of dates and timestamps for plans and messages (the civil calendar, proleptic).
public enum DateFormatting {
    /// Days since 1970-01-01 to `YYYY-MM-DD` (Howard Hinnant's civil_from_days).
    public static func date(_ days: Int32) -> String {
        let (y, m, d) = civil(Int(days))
        return "\(String(y).leftPadded(to: 4))-\(String(m).leftPadded(to: 2))-\(String(d).leftPadded(to: 2))"
    }

    public static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func timestamp(_ value: Int64, unit: TimeUnit) -> String {
        let perSecond = unit.perSecond
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 { fraction += perSecond; seconds -= 1 }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let digits = unit == .milliseconds ? 3 : unit == .microseconds ? 6 : 9
        let time = "\(String(secondOfDay / 3600).leftPadded(to: 2)):\(String(secondOfDay / 60 % 60).leftPadded(to: 2)):\(String(secondOfDay % 60).leftPadded(to: 2))"
        return "\(date(Int32(truncatingIfNeeded: days))) \(time).\(String(fraction).leftPadded(to: digits))"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
