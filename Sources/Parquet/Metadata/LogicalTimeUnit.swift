/// Mirrors thrift union `TimeUnit`: the unit of TIME and TIMESTAMP logical types.
///
/// Unlike the other unions, an unknown member is an error: a time value cannot be read without
/// knowing its unit.
public enum LogicalTimeUnit: Equatable, Hashable, Sendable, ThriftCodable {
    case millis, micros, nanos

    public init(from reader: inout ThriftCompactReader) throws {
        var unit: LogicalTimeUnit?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .struct: unit = .millis
            case 2 where field.type == .struct: unit = .micros
            case 3 where field.type == .struct: unit = .nanos
            default: throw reader.corrupt("unknown TimeUnit member \(field.id)")
            }
            try reader.skip(field)  // the member is an empty struct
        }
        guard let unit else { throw reader.corrupt("TimeUnit union has no member") }
        self = unit
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        switch self {
        case .millis: writer.writeEmptyStructField(1)
        case .micros: writer.writeEmptyStructField(2)
        case .nanos: writer.writeEmptyStructField(3)
        }
        writer.endStruct(enclosing)
    }
}
