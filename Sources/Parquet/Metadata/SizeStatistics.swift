/// Mirrors thrift struct `SizeStatistics`: unencoded sizes and level histograms that let a
/// reader estimate memory needs and prune on nesting.
public struct SizeStatistics: Equatable, Hashable, Sendable, ThriftCodable {
    /// Bytes of BYTE_ARRAY values without their length prefixes.
    public var unencodedByteArrayDataBytes: Int64?
    /// Count of each repetition level, index = level.
    public var repetitionLevelHistogram: [Int64]?
    /// Count of each definition level, index = level.
    public var definitionLevelHistogram: [Int64]?

    public init(
        unencodedByteArrayDataBytes: Int64? = nil, repetitionLevelHistogram: [Int64]? = nil,
        definitionLevelHistogram: [Int64]? = nil
    ) {
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
        self.repetitionLevelHistogram = repetitionLevelHistogram
        self.definitionLevelHistogram = definitionLevelHistogram
    }

    public init(from reader: inout ThriftCompactReader) throws {
        self.init()
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i64: unencodedByteArrayDataBytes = try reader.readI64()
            case 2 where field.type == .list: repetitionLevelHistogram = try reader.readI64List()
            case 3 where field.type == .list: definitionLevelHistogram = try reader.readI64List()
            default: try reader.skip(field)
            }
        }
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeI64Field(1, unencodedByteArrayDataBytes)
        writer.writeI64ListField(2, repetitionLevelHistogram)
        writer.writeI64ListField(3, definitionLevelHistogram)
        writer.endStruct(enclosing)
    }
}
