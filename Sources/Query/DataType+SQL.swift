import Columnar

extension DataType {
    /// The Spark SQL spelling of the type: `INT`, `BIGINT`, `DECIMAL(15,2)`, `STRING`, `DATE`…
    public var sqlName: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int8: "TINYINT"
        case .int16: "SMALLINT"
        case .int32: "INT"
        case .int64: "BIGINT"
        case .uint8: "UTINYINT"
        case .uint16: "USMALLINT"
        case .uint32: "UINT"
        case .uint64: "UBIGINT"
        case .float16: "HALF"
        case .float32: "FLOAT"
        case .float64: "DOUBLE"
        case .decimal(let p, let s): "DECIMAL(\(p),\(s))"
        case .date32: "DATE"
        case .time: "TIME"
        case .timestamp(_, let utc): utc ? "TIMESTAMP" : "TIMESTAMP_NTZ"
        case .string, .json, .enumeration: "STRING"
        case .binary, .fixedSizeBinary, .uuid, .interval: "BINARY"
        case .list(let element): "ARRAY<\(element.type.sqlName)>"
        case .map(let key, let value): "MAP<\(key.type.sqlName), \(value.type.sqlName)>"
        case .structure(let fields): "STRUCT<" + fields.map { "\($0.name): \($0.type.sqlName)" }.joined(separator: ", ") + ">"
        }
    }

    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
        default: false
        }
    }

    public var isFloatingPoint: Bool { self == .float16 || self == .float32 || self == .float64 }

    public var isDecimal: Bool {
        if case .decimal = self { return true }
        return false
    }

    public var isNumeric: Bool { isInteger || isFloatingPoint || isDecimal }

    public var isTemporal: Bool {
        switch self {
        case .date32, .timestamp, .time: true
        default: false
        }
    }
}
