import Columnar

/// Partition values as the text of their directory names, as Spark writes them
/// (`CAST(value AS STRING)`, then `HivePartitionPath` escaping): integers in decimal, dates
/// `yyyy-MM-dd`, timestamps `yyyy-MM-dd HH:mm:ss[.ffffff]` with the fraction only when it is not
/// zero, booleans `true`/`false`, floats as Java prints them, strings as they are, and decimals
/// plain (`0.00000010`, as Spark's ANSI cast gives, never `1.0E-7`).
///
/// Timestamps are written in UTC (Sparrow's session time zone); Spark uses its session time
/// zone for UTC-adjusted timestamps.
enum PartitionValueText {
    static func isSupported(_ type: DataType) -> Bool {
        if type.isInteger || type.isText { return true }
        switch type {
        case .boolean, .float32, .float64, .date32, .timestamp: return true
        case .decimal(let precision, _): return precision <= 38
        default: return false
        }
    }

    /// The text of each value of `column`; nil for NULL.
    static func texts(_ column: Column) throws -> [String?] {
        let plain = column.materialized()
        let text: Column
        switch plain.type {
        case let type where type.isText:
            text = plain
        case .decimal(_, let scale):
            return (0..<plain.count).map { row in
                plain.isNull(row) ? nil : NumberText.plain(plain.fixedWidthValue(at: row, as: Int128.self), scale: scale)
            }
        default:
            guard let format = try TextFormatting.conversion(from: plain.type) else {
                throw ExecutionError.unsupported("partition values of type \(plain.type)")
            }
            text = try format(plain)
        }
        return (0..<text.count).map { text.isNull($0) ? nil : text.stringValue(at: $0) }
    }
}
