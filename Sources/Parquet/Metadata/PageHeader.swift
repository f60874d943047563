/// Mirrors thrift struct `PageHeader`: the header in front of every page of a column chunk.
///
/// Decode it with `PageHeader.decode(from:)`; the reader's `offset` then tells how many bytes
/// the header took, and the page's `compressedPageSize` bytes follow.
public struct PageHeader: Equatable, Hashable, Sendable, ThriftCodable {
    /// Says which of the page-specific headers is set.
    public var type: PageType
    /// Page size in bytes after decompression, header excluded.
    public var uncompressedPageSize: Int32
    /// Page size in bytes as stored, header excluded.
    public var compressedPageSize: Int32
    /// CRC-32 (the gzip polynomial) of the stored page bytes after the header.
    public var crc: Int32?
    public var dataPageHeader: DataPageHeader?
    public var indexPageHeader: IndexPageHeader?
    public var dictionaryPageHeader: DictionaryPageHeader?
    public var dataPageHeaderV2: DataPageHeaderV2?

    public init(
        type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32, crc: Int32? = nil,
        dataPageHeader: DataPageHeader? = nil, indexPageHeader: IndexPageHeader? = nil,
        dictionaryPageHeader: DictionaryPageHeader? = nil, dataPageHeaderV2: DataPageHeaderV2? = nil
    ) {
        self.type = type
        self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize
        self.crc = crc
        self.dataPageHeader = dataPageHeader
        self.indexPageHeader = indexPageHeader
        self.dictionaryPageHeader = dictionaryPageHeader
        self.dataPageHeaderV2 = dataPageHeaderV2
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var type: PageType?
        var uncompressedPageSize: Int32?
        var compressedPageSize: Int32?
        var crc: Int32?
        var dataPageHeader: DataPageHeader?
        var indexPageHeader: IndexPageHeader?
        var dictionaryPageHeader: DictionaryPageHeader?
        var dataPageHeaderV2: DataPageHeaderV2?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: type = PageType(rawValue: try reader.readI32())
            case 2 where field.type == .i32: uncompressedPageSize = try reader.readI32()
            case 3 where field.type == .i32: compressedPageSize = try reader.readI32()
            case 4 where field.type == .i32: crc = try reader.readI32()
            case 5 where field.type == .struct: dataPageHeader = try DataPageHeader(from: &reader)
            case 6 where field.type == .struct: indexPageHeader = try IndexPageHeader(from: &reader)
            case 7 where field.type == .struct: dictionaryPageHeader = try DictionaryPageHeader(from: &reader)
            case 8 where field.type == .struct: dataPageHeaderV2 = try DataPageHeaderV2(from: &reader)
            default: try reader.skip(field)
            }
        }
        guard let type else { throw reader.missingField("type", in: "PageHeader") }
        guard let uncompressedPageSize else {
            throw reader.missingField("uncompressed_page_size", in: "PageHeader")
        }
        guard let compressedPageSize else { throw reader.missingField("compressed_page_size", in: "PageHeader") }
        self.init(
            type: type, uncompressedPageSize: uncompressedPageSize, compressedPageSize: compressedPageSize,
            crc: crc, dataPageHeader: dataPageHeader, indexPageHeader: indexPageHeader,
            dictionaryPageHeader: dictionaryPageHeader, dataPageHeaderV2: dataPageHeaderV2)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeEnumField(1, type)
        writer.writeI32Field(2, uncompressedPageSize)
        writer.writeI32Field(3, compressedPageSize)
        writer.writeI32Field(4, crc)
        writer.writeStructField(5, dataPageHeader)
        writer.writeStructField(6, indexPageHeader)
        writer.writeStructField(7, dictionaryPageHeader)
        writer.writeStructField(8, dataPageHeaderV2)
        writer.endStruct(enclosing)
    }
}

/// Mirrors thrift struct `IndexPageHeader`, which has no fields yet.
public struct IndexPageHeader: Equatable, Hashable, Sendable, ThriftCodable {
    public init() {}

    public init(from reader: inout ThriftCompactReader) throws {
        try reader.skip(.struct)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        writer.endStruct(writer.beginStruct())
    }
}
