/// Mirrors thrift struct `SortingColumn`: one key of a row group's sort order.
public struct SortingColumn: Equatable, Hashable, Sendable, ThriftCodable {
    /// The leaf column's ordinal within the row group.
    public var columnIdx: Int32
    public var descending: Bool
    public var nullsFirst: Bool

    public init(columnIdx: Int32, descending: Bool, nullsFirst: Bool) {
        self.columnIdx = columnIdx
        self.descending = descending
        self.nullsFirst = nullsFirst
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var columnIdx: Int32?
        var descending: Bool?
        var nullsFirst: Bool?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: columnIdx = try reader.readI32()
            case 2 where field.type == .bool: descending = field.boolValue
            case 3 where field.type == .bool: nullsFirst = field.boolValue
            default: try reader.skip(field)
            }
        }
        guard let columnIdx else { throw reader.missingField("column_idx", in: "SortingColumn") }
        guard let descending else { throw reader.missingField("descending", in: "SortingColumn") }
        guard let nullsFirst else { throw reader.missingField("nulls_first", in: "SortingColumn") }
        self.init(columnIdx: columnIdx, descending: descending, nullsFirst: nullsFirst)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeI32Field(1, columnIdx)
        writer.writeBoolField(2, descending)
        writer.writeBoolField(3, nullsFirst)
        writer.endStruct(enclosing)
    }
}
