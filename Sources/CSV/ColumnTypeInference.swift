/// Infers one column's type from the values it holds: the narrowest type that keeps every value
/// exactly (see `CSVColumnType`).
///
/// Values fall into families: booleans; numbers (INT32 < INT64 < DOUBLE); temporal values (DATE <
/// TIMESTAMP); and text. Within a family the type widens; mixing families gives STRING. An integer
/// joins DOUBLE only if a double holds it exactly, so no value is ever rounded.
struct ColumnTypeInference: Sendable {
    private var sawBoolean = false
    private var sawInteger = false
    private var needsInt64 = false
    private var sawDouble = false
    /// An integer that a double cannot hold exactly (beyond 2^53, or beyond Int64).
    private var sawInexactInteger = false
    private var sawDate = false
    private var sawTimestamp = false
    private var sawZoned = false
    private var sawUnzoned = false
    private var needsNanoseconds = false
    private var sawText = false

    init() {}

    /// Starts from a type already decided (when a later value widens it).
    init(startingFrom type: CSVColumnType) {
        switch type {
        case .unknown: break
        case .boolean: sawBoolean = true
        case .int32: sawInteger = true
        case .int64: sawInteger = true; needsInt64 = true
        case .double: sawDouble = true
        case .date: sawDate = true
        case .timestamp(let ns, let utc):
            sawTimestamp = true
            needsNanoseconds = ns
            if utc { sawZoned = true } else { sawUnzoned = true }
        case .string: sawText = true
        }
    }

    /// Folds in one non-null value.
    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        if sawText { return }
        if let value = ValueParsers.int64(bytes) {
            sawInteger = true
            if value < Int64(Int32.min) || value > Int64(Int32.max) { needsInt64 = true }
            if value.magnitude > 1 << 53 { sawInexactInteger = true }
            return
        }
        if ValueParsers.isIntegerLiteral(bytes) {
            // Beyond Int64: a number, exact as a double only in rare cases.
            if ValueParsers.exactDoubleOfIntegerLiteral(bytes) != nil {
                sawDouble = true
            } else {
                sawText = true
            }
            return
        }
        if ValueParsers.double(bytes) != nil {
            sawDouble = true
            return
        }
        if ValueParsers.boolean(bytes) != nil {
            sawBoolean = true
            return
        }
        if ValueParsers.date(bytes) != nil {
            sawDate = true
            return
        }
        if let timestamp = ValueParsers.timestamp(bytes) {
            sawTimestamp = true
            if timestamp.hasZone { sawZoned = true } else { sawUnzoned = true }
            if timestamp.fractionDigits > 6 { needsNanoseconds = true }
            if timestamp.value(nanosecondUnit: needsNanoseconds) == nil { sawText = true }
            return
        }
        sawText = true
    }

    /// The narrowest type that holds everything seen.
    var type: CSVColumnType {
        if sawText { return .string }
        let families = (sawBoolean ? 1 : 0) + (sawInteger || sawDouble ? 1 : 0) + (sawDate || sawTimestamp ? 1 : 0)
        if families == 0 { return .unknown }
        if families > 1 { return .string }
        if sawBoolean { return .boolean }
        if sawDouble {
            return sawInexactInteger && sawInteger ? .string : .double
        }
        if sawInteger { return needsInt64 ? .int64 : .int32 }
        if sawTimestamp {
            return sawZoned && sawUnzoned ? .string : .timestamp(nanoseconds: needsNanoseconds, utc: sawZoned)
        }
        return .date
    }
}
