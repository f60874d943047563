/// Mirrors thrift struct `ColumnIndex`: per-page statistics of a column chunk, the half of the
/// page index that lets a reader skip pages. Entry `i` of each list describes the page at
/// `OffsetIndex.pageLocations[i]`.
public struct ColumnIndex: Equatable, Hashable, Sendable, ThriftCodable {
    /// True for pages holding only nulls, whose bounds are then empty.
    public var nullPages: [Bool]
    public var minValues: [[UInt8]]
    public var maxValues: [[UInt8]]
    public var boundaryOrder: BoundaryOrder
    public var nullCounts: [Int64]?
    /// The pages' repetition level histograms, concatenated.
    public var repetitionLevelHistograms: [Int64]?
    /// The pages' definition level histograms, concatenated.
    public var definitionLevelHistograms: [Int64]?
    public var nanCounts: [Int64]?

    public init(
        nullPages: [Bool], minValues: [[UInt8]], maxValues: [[UInt8]], boundaryOrder: BoundaryOrder,
        nullCounts: [Int64]? = nil, repetitionLevelHistograms: [Int64]? = nil,
        definitionLevelHistograms: [Int64]? = nil, nanCounts: [Int64]? = nil
    ) {
        self.nullPages = nullPages
        self.minValues = minValues
        self.maxValues = maxValues
        self.boundaryOrder = boundaryOrder
        self.nullCounts = nullCounts
        self.repetitionLevelHistograms = repetitionLevelHistograms
        self.definitionLevelHistograms = definitionLevelHistograms
        self.nanCounts = nanCounts
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var nullPages: [Bool]?
        var minValues: [[UInt8]]?
        var maxValues: [[UInt8]]?
        var boundaryOrder: BoundaryOrder?
        var nullCounts: [Int64]?
        var repetitionLevelHistograms: [Int64]?
        var definitionLevelHistograms: [Int64]?
        var nanCounts: [Int64]?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .list: nullPages = try reader.readBoolList()
            case 2 where field.type == .list: minValues = try reader.readBinaryList()
            case 3 where field.type == .list: maxValues = try reader.readBinaryList()
            case 4 where field.type == .i32: boundaryOrder = BoundaryOrder(rawValue: try reader.readI32())
            case 5 where field.type == .list: nullCounts = try reader.readI64List()
            case 6 where field.type == .list: repetitionLevelHistograms = try reader.readI64List()
            case 7 where field.type == .list: definitionLevelHistograms = try reader.readI64List()
            case 8 where field.type == .list: nanCounts = try reader.readI64List()
            default: try reader.skip(field)
            }
        }
        guard let nullPages else { throw reader.missingField("null_pages", in: "ColumnIndex") }
        guard let minValues else { throw reader.missingField("min_values", in: "ColumnIndex") }
        guard let maxValues else { throw reader.missingField("max_values", in: "ColumnIndex") }
        guard let boundaryOrder else { throw reader.missingField("boundary_order", in: "ColumnIndex") }
        self.init(
            nullPages: nullPages, minValues: minValues, maxValues: maxValues, boundaryOrder: boundaryOrder,
            nullCounts: nullCounts, repetitionLevelHistograms: repetitionLevelHistograms,
            definitionLevelHistograms: definitionLevelHistograms, nanCounts: nanCounts)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeBoolListField(1, nullPages)
        writer.writeBinaryListField(2, minValues)
        writer.writeBinaryListField(3, maxValues)
        writer.writeEnumField(4, boundaryOrder)
        writer.writeI64ListField(5, nullCounts)
        writer.writeI64ListField(6, repetitionLevelHistograms)
        writer.writeI64ListField(7, definitionLevelHistograms)
        writer.writeI64ListField(8, nanCounts)
        writer.endStruct(enclosing)
    }
}
