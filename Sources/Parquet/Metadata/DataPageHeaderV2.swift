/// Mirrors thrift struct `DataPageHeaderV2`: the header of a version 2 data page, whose
/// RLE-encoded levels come first, uncompressed, followed by the (possibly compressed) values.
public struct DataPageHeaderV2: Equatable, Hashable, Sendable, ThriftCodable {
    /// Values in the page, nulls included.
    public var numValues: Int32
    public var numNulls: Int32
    /// Rows in the page; V2 pages start and end on row boundaries.
    public var numRows: Int32
    public var encoding: Encoding
    public var definitionLevelsByteLength: Int32
    public var repetitionLevelsByteLength: Int32
    /// Whether the values section is compressed; thrift's default, used when absent, is true.
    public var isCompressed: Bool
    public var statistics: Statistics?

    public init(
        numValues: Int32, numNulls: Int32, numRows: Int32, encoding: Encoding,
        definitionLevelsByteLength: Int32, repetitionLevelsByteLength: Int32,
        isCompressed: Bool = true, statistics: Statistics? = nil
    ) {
        self.numValues = numValues
        self.numNulls = numNulls
        self.numRows = numRows
        self.encoding = encoding
        self.definitionLevelsByteLength = definitionLevelsByteLength
        self.repetitionLevelsByteLength = repetitionLevelsByteLength
        self.isCompressed = isCompressed
        self.statistics = statistics
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var numValues: Int32?
        var numNulls: Int32?
        var numRows: Int32?
        var encoding: Encoding?
        var definitionLevelsByteLength: Int32?
        var repetitionLevelsByteLength: Int32?
        var isCompressed = true
        var statistics: Statistics?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: numValues = try reader.readI32()
            case 2 where field.type == .i32: numNulls = try reader.readI32()
            case 3 where field.type == .i32: numRows = try reader.readI32()
            case 4 where field.type == .i32: encoding = Encoding(rawValue: try reader.readI32())
            case 5 where field.type == .i32: definitionLevelsByteLength = try reader.readI32()
            case 6 where field.type == .i32: repetitionLevelsByteLength = try reader.readI32()
            case 7 where field.type == .bool: isCompressed = field.boolValue
            case 8 where field.type == .struct: statistics = try Statistics(from: &reader)
            default: try reader.skip(field)
            }
        }
        guard let numValues else { throw reader.missingField("num_values", in: "DataPageHeaderV2") }
        guard let numNulls else { throw reader.missingField("num_nulls", in: "DataPageHeaderV2") }
        guard let numRows else { throw reader.missingField("num_rows", in: "DataPageHeaderV2") }
        guard let encoding else { throw reader.missingField("encoding", in: "DataPageHeaderV2") }
        guard let definitionLevelsByteLength else {
            throw reader.missingField("definition_levels_byte_length", in: "DataPageHeaderV2")
        }
        guard let repetitionLevelsByteLength else {
            throw reader.missingField("repetition_levels_byte_length", in: "DataPageHeaderV2")
        }
        self.init(
            numValues: numValues, numNulls: numNulls, numRows: numRows, encoding: encoding,
            definitionLevelsByteLength: definitionLevelsByteLength,
            repetitionLevelsByteLength: repetitionLevelsByteLength, isCompressed: isCompressed,
            statistics: statistics)
    }

    /// Writes the header; `is_compressed` is always written, as parquet-cpp and parquet-java do.
    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeI32Field(1, numValues)
        writer.writeI32Field(2, numNulls)
        writer.writeI32Field(3, numRows)
        writer.writeEnumField(4, encoding)
        writer.writeI32Field(5, definitionLevelsByteLength)
        writer.writeI32Field(6, repetitionLevelsByteLength)
        writer.writeBoolField(7, isCompressed)
        writer.writeStructField(8, statistics)
        writer.endStruct(enclosing)
    }
}
