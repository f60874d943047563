/// Mirrors thrift struct `ColumnMetaData`: where a column chunk's pages are and what they hold.
///
/// Offsets are from the start of the file; sizes include the page headers.
public struct ColumnMetaData: Equatable, Hashable, Sendable, ThriftCodable {
    public var type: PhysicalType
    /// Every encoding used by the chunk's pages, levels included.
    public var encodings: [Encoding]
    public var pathInSchema: [String]
    public var codec: CompressionCodec
    public var numValues: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var keyValueMetadata: [KeyValue]?
    public var dataPageOffset: Int64
    public var indexPageOffset: Int64?
    public var dictionaryPageOffset: Int64?
    public var statistics: Statistics?
    public var encodingStats: [PageEncodingStats]?
    public var bloomFilterOffset: Int64?
    /// Size of the bloom filter header and bitset together.
    public var bloomFilterLength: Int32?
    public var sizeStatistics: SizeStatistics?
    public var geospatialStatistics: GeospatialStatistics?

    public init(
        type: PhysicalType, encodings: [Encoding], pathInSchema: [String], codec: CompressionCodec,
        numValues: Int64, totalUncompressedSize: Int64, totalCompressedSize: Int64,
        keyValueMetadata: [KeyValue]? = nil, dataPageOffset: Int64, indexPageOffset: Int64? = nil,
        dictionaryPageOffset: Int64? = nil, statistics: Statistics? = nil,
        encodingStats: [PageEncodingStats]? = nil, bloomFilterOffset: Int64? = nil,
        bloomFilterLength: Int32? = nil, sizeStatistics: SizeStatistics? = nil,
        geospatialStatistics: GeospatialStatistics? = nil
    ) {
        self.type = type
        self.encodings = encodings
        self.pathInSchema = pathInSchema
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.keyValueMetadata = keyValueMetadata
        self.dataPageOffset = dataPageOffset
        self.indexPageOffset = indexPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
        self.encodingStats = encodingStats
        self.bloomFilterOffset = bloomFilterOffset
        self.bloomFilterLength = bloomFilterLength
        self.sizeStatistics = sizeStatistics
        self.geospatialStatistics = geospatialStatistics
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var type: PhysicalType?
        var encodings: [Encoding]?
        var pathInSchema: [String]?
        var codec: CompressionCodec?
        var numValues: Int64?
        var totalUncompressedSize: Int64?
        var totalCompressedSize: Int64?
        var keyValueMetadata: [KeyValue]?
        var dataPageOffset: Int64?
        var indexPageOffset: Int64?
        var dictionaryPageOffset: Int64?
        var statistics: Statistics?
        var encodingStats: [PageEncodingStats]?
        var bloomFilterOffset: Int64?
        var bloomFilterLength: Int32?
        var sizeStatistics: SizeStatistics?
        var geospatialStatistics: GeospatialStatistics?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: type = PhysicalType(rawValue: try reader.readI32())
            case 2 where field.type == .list: encodings = try reader.readEnumList(of: Encoding.self)
            case 3 where field.type == .list: pathInSchema = try reader.readStringList()
            case 4 where field.type == .i32: codec = CompressionCodec(rawValue: try reader.readI32())
            case 5 where field.type == .i64: numValues = try reader.readI64()
            case 6 where field.type == .i64: totalUncompressedSize = try reader.readI64()
            case 7 where field.type == .i64: totalCompressedSize = try reader.readI64()
            case 8 where field.type == .list: keyValueMetadata = try reader.readList(of: KeyValue.self)
            case 9 where field.type == .i64: dataPageOffset = try reader.readI64()
            case 10 where field.type == .i64: indexPageOffset = try reader.readI64()
            case 11 where field.type == .i64: dictionaryPageOffset = try reader.readI64()
            case 12 where field.type == .struct: statistics = try Statistics(from: &reader)
            case 13 where field.type == .list: encodingStats = try reader.readList(of: PageEncodingStats.self)
            case 14 where field.type == .i64: bloomFilterOffset = try reader.readI64()
            case 15 where field.type == .i32: bloomFilterLength = try reader.readI32()
            case 16 where field.type == .struct: sizeStatistics = try SizeStatistics(from: &reader)
            case 17 where field.type == .struct: geospatialStatistics = try GeospatialStatistics(from: &reader)
            default: try reader.skip(field)
            }
        }
        guard let type else { throw reader.missingField("type", in: "ColumnMetaData") }
        guard let encodings else { throw reader.missingField("encodings", in: "ColumnMetaData") }
        guard let pathInSchema else { throw reader.missingField("path_in_schema", in: "ColumnMetaData") }
        guard let codec else { throw reader.missingField("codec", in: "ColumnMetaData") }
        guard let numValues else { throw reader.missingField("num_values", in: "ColumnMetaData") }
        guard let totalUncompressedSize else {
            throw reader.missingField("total_uncompressed_size", in: "ColumnMetaData")
        }
        guard let totalCompressedSize else {
            throw reader.missingField("total_compressed_size", in: "ColumnMetaData")
        }
        guard let dataPageOffset else { throw reader.missingField("data_page_offset", in: "ColumnMetaData") }
        self.init(
            type: type, encodings: encodings, pathInSchema: pathInSchema, codec: codec,
            numValues: numValues, totalUncompressedSize: totalUncompressedSize,
            totalCompressedSize: totalCompressedSize, keyValueMetadata: keyValueMetadata,
            dataPageOffset: dataPageOffset, indexPageOffset: indexPageOffset,
            dictionaryPageOffset: dictionaryPageOffset, statistics: statistics,
            encodingStats: encodingStats, bloomFilterOffset: bloomFilterOffset,
            bloomFilterLength: bloomFilterLength, sizeStatistics: sizeStatistics,
            geospatialStatistics: geospatialStatistics)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeEnumField(1, type)
        writer.writeEnumListField(2, encodings)
        writer.writeStringListField(3, pathInSchema)
        writer.writeEnumField(4, codec)
        writer.writeI64Field(5, numValues)
        writer.writeI64Field(6, totalUncompressedSize)
        writer.writeI64Field(7, totalCompressedSize)
        writer.writeListField(8, keyValueMetadata)
        writer.writeI64Field(9, dataPageOffset)
        writer.writeI64Field(10, indexPageOffset)
        writer.writeI64Field(11, dictionaryPageOffset)
        writer.writeStructField(12, statistics)
        writer.writeListField(13, encodingStats)
        writer.writeI64Field(14, bloomFilterOffset)
        writer.writeI32Field(15, bloomFilterLength)
        writer.writeStructField(16, sizeStatistics)
        writer.writeStructField(17, geospatialStatistics)
        writer.endStruct(enclosing)
    }
}
