import Columnar

/// The types CSV columns are read as, and how two of them combine when values of both appear.
public enum CSVColumnType: Hashable, Sendable, CustomStringConvertible {
    /// No non-null value seen yet (read as STRING if it stays so).
    case unknown
    case boolean
    case int32
    case int64
    case double
    case date
    /// `nanoseconds` when some value has more than 6 fraction digits; `utc` when values carry a zone.
    case timestamp(nanoseconds: Bool, utc: Bool)
    case string

    /// The Sparrow type of the column.
    public var dataType: DataType {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .double: .float64
        case .date: .date32
        case .timestamp(let nanoseconds, let utc): .timestamp(nanoseconds ? .nanoseconds : .microseconds, isAdjustedToUTC: utc)
        case .string, .unknown: .string
        }
    }

    public var description: String {
        switch self {
        case .unknown: "unknown"
        case .boolean: "boolean"
        case .int32: "int32"
        case .int64: "int64"
        case .double: "double"
        case .date: "date"
        case .timestamp(let ns, let utc): "timestamp" + (ns ? "(ns)" : "") + (utc ? " with zone" : "")
        case .string: "string"
        }
    }

    /// Parses a `--schema` type name.
    public init?(name: String) {
        switch name.lowercased() {
        case "boolean", "bool": self = .boolean
        case "int32", "int", "integer": self = .int32
        case "int64", "bigint", "long": self = .int64
        case "double", "float", "float64": self = .double
        case "date": self = .date
        case "timestamp": self = .timestamp(nanoseconds: false, utc: false)
        case "timestamptz", "timestamp_utc": self = .timestamp(nanoseconds: false, utc: true)
        case "string", "varchar", "text": self = .string
        default: return nil
        }
    }
}
