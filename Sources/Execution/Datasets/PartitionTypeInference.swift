import Columnar
import Query

/// The type of a partition column from its directory values, as Spark infers it
/// (`PartitioningUtils.inferPartitionColumnValue`): each value is tried as int, long, decimal
/// without fraction, double, timestamp, date, then string; the column takes the widest type of its
/// values, and a mix that does not widen (a date and a number) is a string. `__HIVE_DEFAULT_PARTITION__`
/// is null and says nothing about the type; a column of nulls only is a string.
public enum PartitionTypeInference {
    /// Spark's TimestampType: an instant, shown in the session time zone.
    public static let timestampType = DataType.timestamp(.microseconds, isAdjustedToUTC: true)

    /// The narrowest type that holds `raw` (already unescaped).
    public static func type(of raw: String) -> DataType {
        // The common case first: a `yyyy-MM-dd` date is no number and no timestamp.
        if raw.utf8.count == 10, date(raw) != nil { return .date32 }
        if let value = Int64(raw) {
            return Int32(exactly: value) != nil ? .int32 : .int64
        }
        if isInteger(raw), raw.utf8.count <= 39 { return .decimal(precision: 38, scale: 0) }
        if isJavaDouble(raw) { return .float64 }
        if raw.contains(":"), timestamp(raw) != nil { return timestampType }
        if date(raw) != nil { return .date32 }
        return .string
    }

    /// The type of a column whose (non-null) values have types `a` and `b`.
    public static func wider(_ a: DataType, _ b: DataType) -> DataType {
        if a == b { return a }
        let numeric: [DataType] = [.int32, .int64, .decimal(precision: 38, scale: 0), .float64]
        if let i = numeric.firstIndex(of: a), let j = numeric.firstIndex(of: b) { return numeric[max(i, j)] }
        if Set([a, b]) == Set([DataType.date32, timestampType]) { return timestampType }
        return .string
    }

    /// The column type for a level's values (nil entries are the default partition).
    public static func type(ofValues values: some Sequence<String?>) -> DataType {
        var result: DataType?
        for case let raw? in values {
            let type = type(of: raw)
            result = result.map { wider($0, type) } ?? type
            if result == .string { return .string }
        }
        return result ?? .string
    }

    /// `raw` as a value of `type`; nil when it is not one (the caller names the directory).
    /// A nil `raw` (the default partition) is a null of the type.
    public static func value(_ raw: String?, as type: DataType) -> ScalarValue? {
        guard let raw else { return .null(type) }
        switch type {
        case .string: return .string(raw)
        case .int32: return Int32(raw).map { .int32($0) }
        case .int64: return Int64(raw).map { .int64($0) }
        case .decimal(let precision, 0):
            guard isInteger(raw), let value = Int128(raw), raw.filter(\.isNumber).count <= precision else { return nil }
            return .decimal(value, precision: precision, scale: 0)
        case .float64:
            return isJavaDouble(raw) || Int64(raw) != nil ? javaDouble(raw).map { .double($0) } : nil
        case .date32: return date(raw).map { .date($0) }
        case .timestamp: return timestamp(raw).map { ScalarValue(.int($0), type: type) }
        default: return nil
        }
    }

    static func isInteger(_ raw: String) -> Bool {
        var digits = Substring(raw)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Java's `Double.parseDouble` for the spellings partition values use: decimal and
    /// exponent forms, `NaN`, `[+-]Infinity` (Swift's `inf`/`nan` spellings are not Java's).
    static func isJavaDouble(_ raw: String) -> Bool { javaDouble(raw) != nil }

    static func javaDouble(_ raw: String) -> Double? {
        switch raw {
        case "NaN": return .nan
        case "Infinity", "+Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: break
        }
        guard raw.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 43 || $0 == 45 || $0 == 101 || $0 == 69 }),
              raw.utf8.contains(where: { $0 >= 48 && $0 <= 57 }) else { return nil }
        return Double(raw)
    }

    /// `yyyy-MM-dd`: the whole text a date, the year four digits (Spark's partition date format).
    static func date(_ raw: String) -> Int32? {
        var raw = raw
        return raw.withUTF8 { bytes in
            guard bytes.count >= 8, bytes.count <= 10, bytes[4] == UInt8(ascii: "-") else { return nil }
            return StringParsing.parseDate(bytes.baseAddress!, bytes.count)
        }
    }

    /// `yyyy-MM-dd HH:mm:ss[.fraction]` as microseconds (the session time zone is UTC).
    static func timestamp(_ raw: String) -> Int64? {
        let bytes = Array(raw.utf8)
        guard bytes.count >= 16, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T") else { return nil }
        return bytes.withUnsafeBufferPointer {
            StringParsing.parseTimestamp($0.baseAddress!, $0.count, unit: .microseconds, applyOffset: true)
        }
    }
}
