/// Mirrors thrift struct `Statistics`: the statistics of a column chunk or a page.
///
/// Bounds are PLAIN-encoded values without the length prefix of BYTE_ARRAY. `min`/`max` are
/// the deprecated signed-order bounds; `minValue`/`maxValue` follow the column's ColumnOrder
/// and take precedence when present. A missing `nullCount` means "unknown", not zero.
public struct Statistics: Equatable, Hashable, Sendable, ThriftCodable {
    public var max: [UInt8]?
    public var min: [UInt8]?
    public var nullCount: Int64?
    public var distinctCount: Int64?
    public var maxValue: [UInt8]?
    public var minValue: [UInt8]?
    public var isMaxValueExact: Bool?
    public var isMinValueExact: Bool?
    /// Number of NaN values, for FLOAT, DOUBLE and FLOAT16 columns.
    public var nanCount: Int64?

    public init(
        max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil, distinctCount: Int64? = nil,
        maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil, isMaxValueExact: Bool? = nil,
        isMinValueExact: Bool? = nil, nanCount: Int64? = nil
    ) {
        self.max = max
        self.min = min
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.maxValue = maxValue
        self.minValue = minValue
        self.isMaxValueExact = isMaxValueExact
        self.isMinValueExact = isMinValueExact
        self.nanCount = nanCount
    }

    public init(from reader: inout ThriftCompactReader) throws {
        self.init()
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .binary: max = try reader.readBinary()
            case 2 where field.type == .binary: min = try reader.readBinary()
            case 3 where field.type == .i64: nullCount = try reader.readI64()
            case 4 where field.type == .i64: distinctCount = try reader.readI64()
            case 5 where field.type == .binary: maxValue = try reader.readBinary()
            case 6 where field.type == .binary: minValue = try reader.readBinary()
            case 7 where field.type == .bool: isMaxValueExact = field.boolValue
            case 8 where field.type == .bool: isMinValueExact = field.boolValue
            case 9 where field.type == .i64: nanCount = try reader.readI64()
            default: try reader.skip(field)
            }
        }
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeBinaryField(1, max)
        writer.writeBinaryField(2, min)
        writer.writeI64Field(3, nullCount)
        writer.writeI64Field(4, distinctCount)
        writer.writeBinaryField(5, maxValue)
        writer.writeBinaryField(6, minValue)
        writer.writeBoolField(7, isMaxValueExact)
        writer.writeBoolField(8, isMinValueExact)
        writer.writeI64Field(9, nanCount)
        writer.endStruct(enclosing)
    }
}
