/// The logical type of a column, covering the Parquet logical types.
///
/// Every type has one in-memory layout (`DataType.layout`): fixed-width little-endian values,
/// bit-packed booleans, offsets + bytes, list offsets + a child column, or struct children.
/// Decimals with precision up to 38 are stored as `Int128`; wider ones (up to 76) as 32-byte
/// little-endian two's complement integers.
public indirect enum DataType: Hashable, Sendable {
    case boolean
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    /// IEEE 754 half precision, stored as its 16 bits.
    case float16
    case float32, float64
    case decimal(precision: Int, scale: Int)
    /// Days since 1970-01-01, `Int32`.
    case date32
    /// Time of day: `Int32` for milliseconds, `Int64` for micro- and nanoseconds.
    case time(TimeUnit, isAdjustedToUTC: Bool)
    /// `Int64` since the Unix epoch; `isAdjustedToUTC` is an instant, otherwise a local date-time.
    case timestamp(TimeUnit, isAdjustedToUTC: Bool)
    /// UTF-8 text.
    case string
    /// UTF-8 text annotated as JSON.
    case json
    /// UTF-8 text annotated as an enum.
    case enumeration
    case binary
    case fixedSizeBinary(Int)
    /// 16 bytes, big-endian as in RFC 4122.
    case uuid
    /// Parquet's legacy INTERVAL: three little-endian `UInt32` (months, days, milliseconds).
    case interval
    case list(Field)
    case structure([Field])
    /// A list of key/value entries; keys are never null.
    case map(key: Field, value: Field)

    /// How values of this type are laid out in memory.
    public enum Layout: Hashable, Sendable {
        case fixedWidth(Int)
        case bits
        case variableWidth
        case list
        case structure
    }

    public var layout: Layout {
        switch self {
        case .boolean: .bits
        case .int8, .uint8: .fixedWidth(1)
        case .int16, .uint16, .float16: .fixedWidth(2)
        case .int32, .uint32, .float32, .date32: .fixedWidth(4)
        case .int64, .uint64, .float64, .timestamp: .fixedWidth(8)
        case .time(let unit, _): .fixedWidth(unit == .milliseconds ? 4 : 8)
        case .decimal(let precision, _): .fixedWidth(precision <= 38 ? 16 : 32)
        case .string, .json, .enumeration, .binary: .variableWidth
        case .fixedSizeBinary(let width): .fixedWidth(width)
        case .uuid: .fixedWidth(16)
        case .interval: .fixedWidth(12)
        case .list, .map: .list
        case .structure: .structure
        }
    }

    /// Byte width of one value for fixed-width types, else nil.
    public var byteWidth: Int? {
        if case .fixedWidth(let width) = layout { return width }
        return nil
    }

    /// True for types whose values are UTF-8 text.
    public var isText: Bool {
        switch self {
        case .string, .json, .enumeration: true
        default: false
        }
    }

    /// True for list, map and struct.
    public var isNested: Bool {
        switch self {
        case .list, .map, .structure: true
        default: false
        }
    }

    /// The child fields of nested types, in storage order (a map's entries struct is `key`, `value`).
    public var children: [Field] {
        switch self {
        case .list(let element): [element]
        case .map(let key, let value): [key, value]
        case .structure(let fields): fields
        default: []
        }
    }
}

extension DataType: CustomStringConvertible {
    /// A compact, SQL-like spelling: `int32`, `decimal(10,2)`, `timestamp(us, utc)`, `list<int64>`.
    public var description: String {
        switch self {
        case .boolean: "boolean"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float16: "float16"
        case .float32: "float"
        case .float64: "double"
        case .decimal(let p, let s): "decimal(\(p),\(s))"
        case .date32: "date"
        case .time(let unit, let utc): "time(\(unit.rawValue)\(utc ? ", utc" : ""))"
        case .timestamp(let unit, let utc): "timestamp(\(unit.rawValue)\(utc ? ", utc" : ""))"
        case .string: "string"
        case .json: "json"
        case .enumeration: "enum"
        case .binary: "binary"
        case .fixedSizeBinary(let width): "fixed_size_binary(\(width))"
        case .uuid: "uuid"
        case .interval: "interval"
        case .list(let element): "list<\(element.type)>"
        case .map(let key, let value): "map<\(key.type), \(value.type)>"
        case .structure(let fields):
            "struct<" + fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + ">"
        }
    }
}
