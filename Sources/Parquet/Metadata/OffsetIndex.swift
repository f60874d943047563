/// Mirrors thrift struct `OffsetIndex`: where each data page of a column chunk is, the half of
/// the page index that lets a reader seek to a row.
public struct OffsetIndex: Equatable, Hashable, Sendable, ThriftCodable {
    /// Ordered by offset, with strictly increasing first row indexes.
    public var pageLocations: [PageLocation]
    /// Per page, as in `SizeStatistics.unencodedByteArrayDataBytes`.
    public var unencodedByteArrayDataBytes: [Int64]?

    public init(pageLocations: [PageLocation], unencodedByteArrayDataBytes: [Int64]? = nil) {
        self.pageLocations = pageLocations
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var pageLocations: [PageLocation]?
        var unencodedByteArrayDataBytes: [Int64]?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .list: pageLocations = try reader.readList(of: PageLocation.self)
            case 2 where field.type == .list: unencodedByteArrayDataBytes = try reader.readI64List()
            default: try reader.skip(field)
            }
        }
        guard let pageLocations else { throw reader.missingField("page_locations", in: "OffsetIndex") }
        self.init(pageLocations: pageLocations, unencodedByteArrayDataBytes: unencodedByteArrayDataBytes)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeListField(1, pageLocations)
        writer.writeI64ListField(2, unencodedByteArrayDataBytes)
        writer.endStruct(enclosing)
    }
}

/// Mirrors thrift struct `PageLocation`: one data page in an `OffsetIndex`.
public struct PageLocation: Equatable, Hashable, Sendable, ThriftCodable {
    /// File offset of the page header.
    public var offset: Int64
    /// Page size including its header.
    public var compressedPageSize: Int32
    /// Row group index of the page's first row.
    public var firstRowIndex: Int64

    public init(offset: Int64, compressedPageSize: Int32, firstRowIndex: Int64) {
        self.offset = offset
        self.compressedPageSize = compressedPageSize
        self.firstRowIndex = firstRowIndex
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var offset: Int64?
        var compressedPageSize: Int32?
        var firstRowIndex: Int64?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i64: offset = try reader.readI64()
            case 2 where field.type == .i32: compressedPageSize = try reader.readI32()
            case 3 where field.type == .i64: firstRowIndex = try reader.readI64()
            default: try reader.skip(field)
            }
        }
        guard let offset else { throw reader.missingField("offset", in: "PageLocation") }
        guard let compressedPageSize else { throw reader.missingField("compressed_page_size", in: "PageLocation") }
        guard let firstRowIndex else { throw reader.missingField("first_row_index", in: "PageLocation") }
        self.init(offset: offset, compressedPageSize: compressedPageSize, firstRowIndex: firstRowIndex)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeI64Field(1, offset)
        writer.writeI32Field(2, compressedPageSize)
        writer.writeI64Field(3, firstRowIndex)
        writer.endStruct(enclosing)
    }
}
