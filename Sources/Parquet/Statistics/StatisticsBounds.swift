import Columnar

/// The min and max of a column chunk's statistics, decoded to one-value columns of the leaf's type.
///
/// `min_value`/`max_value` are used when present. The deprecated `min`/`max` fields were written
/// with signed comparison whatever the type, so they are trusted only for types whose order is
/// signed (integers with signed semantics, dates, times, timestamps, booleans, floats).
public struct StatisticsBounds: Sendable {
    public let min: Column?
    public let max: Column?
    public let isMinExact: Bool
    public let isMaxExact: Bool

    public init(_ statistics: Statistics, column: ColumnDescriptor) {
        var low = statistics.minValue
        var high = statistics.maxValue
        if low == nil && high == nil && Self.legacyOrderIsValid(column) {
            low = statistics.min
            high = statistics.max
        }
        min = low.flatMap { Self.decode($0, column) }
        max = high.flatMap { Self.decode($0, column) }
        isMinExact = statistics.isMinValueExact ?? true
        isMaxExact = statistics.isMaxValueExact ?? true
    }

    static func legacyOrderIsValid(_ column: ColumnDescriptor) -> Bool {
        switch column.dataType {
        case .boolean, .int8, .int16, .int32, .int64, .float32, .float64, .date32, .time, .timestamp:
            return column.physicalType != .int96
        case .decimal:
            return column.physicalType == .int32 || column.physicalType == .int64
        default:
            return false
        }
    }

    /// One PLAIN-encoded value (without a length prefix for byte arrays) as a column; nil when the
    /// bytes do not fit the type.
    static func decode(_ bytes: [UInt8], _ column: ColumnDescriptor) -> Column? {
        let values: PhysicalValues
        switch column.physicalType {
        case .boolean:
            guard bytes.count == 1 else { return nil }
            values = .bits(Buffer(copying: [bytes[0] & 1]), count: 1)
        case .int32, .float:
            guard bytes.count == 4 else { return nil }
            values = .fixedWidth(Buffer(copying: bytes), width: 4, count: 1)
        case .int64, .double:
            guard bytes.count == 8 else { return nil }
            values = .fixedWidth(Buffer(copying: bytes), width: 8, count: 1)
        case .int96:
            guard bytes.count == 12 else { return nil }
            values = .fixedWidth(Buffer(copying: bytes), width: 12, count: 1)
        case .fixedLenByteArray:
            guard bytes.count == column.typeLength else { return nil }
            values = .fixedWidth(Buffer(copying: bytes), width: bytes.count, count: 1)
        case .byteArray:
            values = .variableWidth(offsets: Buffer(copying: [Int32(0), Int32(bytes.count)]),
                                    data: Buffer(copying: bytes), count: 1)
        default:
            return nil
        }
        return try? values.column(of: column.dataType, descriptor: column)
    }
}
