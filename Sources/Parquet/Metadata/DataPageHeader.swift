/// Mirrors thrift struct `DataPageHeader`: the header of a version 1 data page, whose levels
/// and values are compressed together.
public struct DataPageHeader: Equatable, Hashable, Sendable, ThriftCodable {
    /// Values in the page, nulls included.
    public var numValues: Int32
    public var encoding: Encoding
    public var definitionLevelEncoding: Encoding
    public var repetitionLevelEncoding: Encoding
    public var statistics: Statistics?

    public init(
        numValues: Int32, encoding: Encoding, definitionLevelEncoding: Encoding,
        repetitionLevelEncoding: Encoding, statistics: Statistics? = nil
    ) {
        self.numValues = numValues
        self.encoding = encoding
        self.definitionLevelEncoding = definitionLevelEncoding
        self.repetitionLevelEncoding = repetitionLevelEncoding
        self.statistics = statistics
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var numValues: Int32?
        var encoding: Encoding?
        var definitionLevelEncoding: Encoding?
        var repetitionLevelEncoding: Encoding?
        var statistics: Statistics?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: numValues = try reader.readI32()
            case 2 where field.type == .i32: encoding = Encoding(rawValue: try reader.readI32())
            case 3 where field.type == .i32: definitionLevelEncoding = Encoding(rawValue: try reader.readI32())
            case 4 where field.type == .i32: repetitionLevelEncoding = Encoding(rawValue: try reader.readI32())
            case 5 where field.type == .struct: statistics = try Statistics(from: &reader)
            default: try reader.skip(field)
            }
        }
        guard let numValues else { throw reader.missingField("num_values", in: "DataPageHeader") }
        guard let encoding else { throw reader.missingField("encoding", in: "DataPageHeader") }
        guard let definitionLevelEncoding else {
            throw reader.missingField("definition_level_encoding", in: "DataPageHeader")
        }
        guard let repetitionLevelEncoding else {
            throw reader.missingField("repetition_level_encoding", in: "DataPageHeader")
        }
        self.init(
            numValues: numValues, encoding: encoding, definitionLevelEncoding: definitionLevelEncoding,
            repetitionLevelEncoding: repetitionLevelEncoding, statistics: statistics)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeI32Field(1, numValues)
        writer.writeEnumField(2, encoding)
        writer.writeEnumField(3, definitionLevelEncoding)
        writer.writeEnumField(4, repetitionLevelEncoding)
        writer.writeStructField(5, statistics)
        writer.endStruct(enclosing)
    }
}
