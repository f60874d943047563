import Columnar
import Query
@testable import Execution

/// Builds batches, compiles expressions against them, and reads results back as Swift values.
enum ExpressionTestSupport {
    /// A batch of named columns.
    static func batch(_ columns: [(String, Column)], rowCount: Int? = nil) -> RecordBatch {
        let schema = Schema(columns.map { Field($0.0, $0.1.type) })
        return RecordBatch(schema: schema, columns: columns.map(\.1), rowCount: rowCount ?? columns.first?.1.count ?? 0)
    }

    /// Compiles `expr` over the batch's columns and evaluates it.
    static func evaluate(_ expr: Expr, _ batch: RecordBatch) throws -> Column {
        let compiled = try CompiledExpression.compile(expr, input: PlanSchema(batch.schema))
        let result = try compiled.evaluate(batch)
        precondition(result.count == batch.rowCount, "result has \(result.count) rows, batch \(batch.rowCount)")
        precondition(result.type == compiled.type, "result type \(result.type) is not the compiled \(compiled.type)")
        return result
    }

    static func evaluate(_ expr: Expr, _ columns: [(String, Column)]) throws -> Column {
        try evaluate(expr, batch(columns))
    }

    /// Evaluates an expression of constants over a one-row batch.
    static func constant(_ expr: Expr) throws -> Column {
        try evaluate(expr, batch([], rowCount: 1))
    }

    /// A dictionary-encoded string column: `indices` into `dictionary`, NULL where nil.
    static func dictionaryStrings(_ dictionary: [String], indices: [Int32?]) -> Column {
        let values = Column(strings: dictionary)
        let validity = indices.contains(nil) ? Bitmap.buffer(from: indices.map { $0 != nil }, count: indices.count) : nil
        return Column(type: .string, count: indices.count, validity: validity,
                      storage: .dictionary(indices: Buffer(copying: indices.map { $0 ?? 0 }), dictionary: values))
    }

    static func decimals(_ values: [Int128?], precision: Int, scale: Int) -> Column {
        Column(.decimal(precision: precision, scale: scale), values)
    }

    static func dates(_ values: [Int32?]) -> Column { Column(.date32, values) }

    static func timestamps(_ values: [Int64?], utc: Bool = false) -> Column {
        Column(.timestamp(.microseconds, isAdjustedToUTC: utc), values)
    }

    // MARK: Reading results

    static func fixed<T: BitwiseCopyable>(_ column: Column, as type: T.Type) -> [T?] {
        let plain = column.materialized()
        return (0..<plain.count).map { plain.isNull($0) ? nil : plain.fixedWidthValue(at: $0, as: T.self) }
    }

    static func ints(_ column: Column) -> [Int32?] { fixed(column, as: Int32.self) }
    static func longs(_ column: Column) -> [Int64?] { fixed(column, as: Int64.self) }
    static func doubles(_ column: Column) -> [Double?] { fixed(column, as: Double.self) }
    static func unscaled(_ column: Column) -> [Int128?] { fixed(column, as: Int128.self) }

    static func booleans(_ column: Column) -> [Bool?] {
        let plain = column.materialized()
        return (0..<plain.count).map { plain.isNull($0) ? nil : plain.booleanValue(at: $0) }
    }

    static func strings(_ column: Column) -> [String?] {
        (0..<column.count).map { column.isNull($0) ? nil : column.stringValue(at: $0) }
    }

    /// Decimal results as text with their scale (`12.30`).
    static func decimalTexts(_ column: Column) -> [String?] {
        guard case .decimal(_, let scale) = column.type else { preconditionFailure("not a decimal") }
        return unscaled(column).map { $0.map { DecimalFormatting.string($0, scale: scale) } }
    }

    /// Days since 1970-01-01 of a `yyyy-MM-dd` date (proleptic Gregorian), for readable tests.
    static func day(_ text: String) -> Int32 {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let negative = text.hasPrefix("-")
        let numbers = parts.filter { !$0.isEmpty }.map { Int64($0)! }
        return Int32(CivilCalendar.days(year: negative ? -numbers[0] : numbers[0], month: numbers[1], day: numbers[2]))
    }

    /// Microseconds since the epoch of `yyyy-MM-dd HH:mm:ss[.ffffff]` (UTC).
    static func micros(_ text: String) -> Int64 {
        let halves = text.split(separator: " ")
        var result = Int64(day(String(halves[0]))) * 86_400_000_000
        if halves.count > 1 {
            let time = halves[1].split(separator: ".")
            let hms = time[0].split(separator: ":").map { Int64($0)! }
            result += ((hms[0] * 60 + hms[1]) * 60 + hms[2]) * 1_000_000
            if time.count > 1 {
                var digits = String(time[1])
                while digits.count < 6 { digits += "0" }
                result += Int64(digits)!
            }
        }
        return result
    }
}

extension Expr {
    static func int32(_ value: Int32) -> Expr { .literal(.int32(value)) }
    static func int64(_ value: Int64) -> Expr { .literal(.int64(value)) }
    static func decimal(_ unscaled: Int128, _ precision: Int, _ scale: Int) -> Expr {
        .literal(.decimal(unscaled, precision: precision, scale: scale))
    }
    static func date(_ text: String) -> Expr { .literal(.date(ExpressionTestSupport.day(text))) }
    static func null(_ type: DataType) -> Expr { .literal(.null(type)) }
    static func call(_ name: String, _ arguments: Expr...) -> Expr { .function(name: name, arguments: arguments) }
}
