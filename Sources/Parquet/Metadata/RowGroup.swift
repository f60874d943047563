/// Mirrors thrift struct `RowGroup`: a horizontal slice of the file, one chunk per leaf column.
public struct RowGroup: Equatable, Hashable, Sendable, ThriftCodable {
    /// In the order of the leaf columns in the schema.
    public var columns: [ColumnChunk]
    /// Uncompressed size of all the column data.
    public var totalByteSize: Int64
    public var numRows: Int64
    public var sortingColumns: [SortingColumn]?
    /// Offset of the first page (data or dictionary) of the row group.
    public var fileOffset: Int64?
    public var totalCompressedSize: Int64?
    public var ordinal: Int16?

    public init(
        columns: [ColumnChunk], totalByteSize: Int64, numRows: Int64,
        sortingColumns: [SortingColumn]? = nil, fileOffset: Int64? = nil,
        totalCompressedSize: Int64? = nil, ordinal: Int16? = nil
    ) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
        self.sortingColumns = sortingColumns
        self.fileOffset = fileOffset
        self.totalCompressedSize = totalCompressedSize
        self.ordinal = ordinal
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var columns: [ColumnChunk]?
        var totalByteSize: Int64?
        var numRows: Int64?
        var sortingColumns: [SortingColumn]?
        var fileOffset: Int64?
        var totalCompressedSize: Int64?
        var ordinal: Int16?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .list: columns = try reader.readList(of: ColumnChunk.self)
            case 2 where field.type == .i64: totalByteSize = try reader.readI64()
            case 3 where field.type == .i64: numRows = try reader.readI64()
            case 4 where field.type == .list: sortingColumns = try reader.readList(of: SortingColumn.self)
            case 5 where field.type == .i64: fileOffset = try reader.readI64()
            case 6 where field.type == .i64: totalCompressedSize = try reader.readI64()
            case 7 where field.type == .i16: ordinal = try reader.readI16()
            default: try reader.skip(field)
            }
        }
        guard let columns else { throw reader.missingField("columns", in: "RowGroup") }
        guard let totalByteSize else { throw reader.missingField("total_byte_size", in: "RowGroup") }
        guard let numRows else { throw reader.missingField("num_rows", in: "RowGroup") }
        self.init(
            columns: columns, totalByteSize: totalByteSize, numRows: numRows,
            sortingColumns: sortingColumns, fileOffset: fileOffset,
            totalCompressedSize: totalCompressedSize, ordinal: ordinal)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeListField(1, columns)
        writer.writeI64Field(2, totalByteSize)
        writer.writeI64Field(3, numRows)
        writer.writeListField(4, sortingColumns)
        writer.writeI64Field(5, fileOffset)
        writer.writeI64Field(6, totalCompressedSize)
        writer.writeI16Field(7, ordinal)
        writer.endStruct(enclosing)
    }
}
