import Columnar

/// Maps a leaf schema element (physical type + logical/converted annotation) to a `DataType`.
///
/// The logical type wins over the legacy converted type. Annotations that do not fit the physical
/// type (e.g. DATE on a BYTE_ARRAY) are ignored and the physical type is used, as Arrow does, so
/// that an odd writer never makes a file unreadable.
enum LogicalTypeMapping {
    static func dataType(for element: SchemaElement) throws -> DataType {
        guard let physical = element.type else {
            throw ParquetError.corrupt("schema element '\(element.name)' is a leaf without a physical type")
        }
        let length = Int(element.typeLength ?? 0)
        if physical == .fixedLenByteArray && length <= 0 {
            throw ParquetError.corrupt("FIXED_LEN_BYTE_ARRAY column '\(element.name)' has type_length \(length)")
        }
        if let logical = element.logicalType, let type = try fromLogical(logical, physical, length, element) {
            return type
        }
        if let converted = element.convertedType, let type = try fromConverted(converted, physical, length, element) {
            return type
        }
        return plain(physical, length)
    }

    static func plain(_ physical: PhysicalType, _ length: Int) -> DataType {
        switch physical {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .int96: .timestamp(.nanoseconds, isAdjustedToUTC: false)
        case .float: .float32
        case .double: .float64
        case .fixedLenByteArray: .fixedSizeBinary(length)
        default: .binary
        }
    }

    private static func fromLogical(
        _ logical: LogicalType, _ physical: PhysicalType, _ length: Int, _ element: SchemaElement
    ) throws -> DataType? {
        switch logical {
        case .string:
            return physical == .byteArray ? .string : nil
        case .enumeration:
            return physical == .byteArray ? .enumeration : nil
        case .json:
            return physical == .byteArray ? .json : nil
        case .bson:
            return physical == .byteArray ? .binary : nil
        case .uuid:
            return physical == .fixedLenByteArray && length == 16 ? .uuid : nil
        case .float16:
            return physical == .fixedLenByteArray && length == 2 ? .float16 : nil
        case .date:
            return physical == .int32 ? .date32 : nil
        case .decimal(let scale, let precision):
            return try decimal(precision: Int(precision), scale: Int(scale), physical, length, element)
        case .integer(let bitWidth, let isSigned):
            return integer(bitWidth: Int(bitWidth), isSigned: isSigned, physical)
        case .time(let isAdjustedToUTC, let unit):
            let unit = timeUnit(unit)
            if unit == .milliseconds { return physical == .int32 ? .time(unit, isAdjustedToUTC: isAdjustedToUTC) : nil }
            return physical == .int64 ? .time(unit, isAdjustedToUTC: isAdjustedToUTC) : nil
        case .timestamp(let isAdjustedToUTC, let unit):
            return physical == .int64 ? .timestamp(timeUnit(unit), isAdjustedToUTC: isAdjustedToUTC) : nil
        default:
            return nil
        }
    }

    private static func fromConverted(
        _ converted: ConvertedType, _ physical: PhysicalType, _ length: Int, _ element: SchemaElement
    ) throws -> DataType? {
        switch converted {
        case .utf8: return physical == .byteArray ? .string : nil
        case .enumeration: return physical == .byteArray ? .enumeration : nil
        case .json: return physical == .byteArray ? .json : nil
        case .bson: return physical == .byteArray ? .binary : nil
        case .date: return physical == .int32 ? .date32 : nil
        case .decimal:
            return try decimal(precision: Int(element.precision ?? 0), scale: Int(element.scale ?? 0),
                               physical, length, element)
        case .int8: return integer(bitWidth: 8, isSigned: true, physical)
        case .int16: return integer(bitWidth: 16, isSigned: true, physical)
        case .int32: return integer(bitWidth: 32, isSigned: true, physical)
        case .int64: return integer(bitWidth: 64, isSigned: true, physical)
        case .uint8: return integer(bitWidth: 8, isSigned: false, physical)
        case .uint16: return integer(bitWidth: 16, isSigned: false, physical)
        case .uint32: return integer(bitWidth: 32, isSigned: false, physical)
        case .uint64: return integer(bitWidth: 64, isSigned: false, physical)
        // The spec: legacy TIME_*/TIMESTAMP_* are "adjusted to UTC".
        case .timeMillis: return physical == .int32 ? .time(.milliseconds, isAdjustedToUTC: true) : nil
        case .timeMicros: return physical == .int64 ? .time(.microseconds, isAdjustedToUTC: true) : nil
        case .timestampMillis: return physical == .int64 ? .timestamp(.milliseconds, isAdjustedToUTC: true) : nil
        case .timestampMicros: return physical == .int64 ? .timestamp(.microseconds, isAdjustedToUTC: true) : nil
        case .interval: return physical == .fixedLenByteArray && length == 12 ? .interval : nil
        default: return nil
        }
    }

    private static func integer(bitWidth: Int, isSigned: Bool, _ physical: PhysicalType) -> DataType? {
        switch (bitWidth, isSigned, physical) {
        case (8, true, .int32): .int8
        case (16, true, .int32): .int16
        case (32, true, .int32): .int32
        case (64, true, .int64): .int64
        case (8, false, .int32): .uint8
        case (16, false, .int32): .uint16
        case (32, false, .int32): .uint32
        case (64, false, .int64): .uint64
        default: nil
        }
    }

    private static func decimal(
        precision: Int, scale: Int, _ physical: PhysicalType, _ length: Int, _ element: SchemaElement
    ) throws -> DataType? {
        // Maximum precision each storage can hold (LogicalTypes.md, DECIMAL).
        let maxPrecision: Int
        switch physical {
        case .int32: maxPrecision = 9
        case .int64: maxPrecision = 18
        case .fixedLenByteArray: maxPrecision = Int((Double(8 * length - 1) * 0.30102999566398120).rounded(.down))
        case .byteArray: maxPrecision = 76
        default: return nil
        }
        guard precision >= 1, scale >= 0, scale <= precision else {
            throw ParquetError.corrupt("column '\(element.name)' has DECIMAL(\(precision), \(scale)): precision must be positive and scale between 0 and precision")
        }
        guard precision <= maxPrecision else {
            throw ParquetError.corrupt("column '\(element.name)' has DECIMAL precision \(precision), more than \(physical) of this size can hold (\(maxPrecision))")
        }
        guard precision <= 76 else {
            throw ParquetError.unsupported("column '\(element.name)': DECIMAL precision \(precision) (at most 76 is supported)")
        }
        return .decimal(precision: precision, scale: scale)
    }

    private static func timeUnit(_ unit: LogicalTimeUnit) -> TimeUnit {
        switch unit {
        case .millis: .milliseconds
        case .micros: .microseconds
        case .nanos: .nanoseconds
        }
    }
}
