/// Mirrors thrift union `ColumnOrder`: the order that a column's min/max statistics follow.
///
/// If a reader does not know a column's order it must ignore that column's min/max statistics;
/// `.unrecognized` keeps the member's field id so the list stays aligned with the leaf columns.
public enum ColumnOrder: Equatable, Hashable, Sendable, ThriftCodable {
    /// The order defined by the logical type, or by the physical type if there is none.
    case typeOrder
    /// IEEE 754 totalOrder for floating-point columns.
    case ieee754TotalOrder
    case unrecognized(fieldID: Int16)

    public init(from reader: inout ThriftCompactReader) throws {
        var order: ColumnOrder?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            try reader.skip(field)  // every member is an empty struct
            guard field.type == .struct else { continue }
            switch field.id {
            case 1: order = .typeOrder
            case 2: order = .ieee754TotalOrder
            default: if order == nil { order = .unrecognized(fieldID: field.id) }
            }
        }
        guard let order else { throw reader.corrupt("ColumnOrder union has no member") }
        self = order
    }

    /// Writes the union; an `.unrecognized` member is written as an empty struct.
    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        switch self {
        case .typeOrder: writer.writeEmptyStructField(1)
        case .ieee754TotalOrder: writer.writeEmptyStructField(2)
        case .unrecognized(let fieldID): writer.writeEmptyStructField(fieldID)
        }
        writer.endStruct(enclosing)
    }
}
