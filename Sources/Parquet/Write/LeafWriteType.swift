import Columnar

/// How values of a Sparrow type are stored in Parquet: physical type, annotations, sort order.
struct LeafWriteType: Sendable {
    let physicalType: PhysicalType
    /// FIXED_LEN_BYTE_ARRAY width.
    let typeLength: Int?
    let logicalType: LogicalType?
    let convertedType: ConvertedType?
    let scale: Int?
    let precision: Int?
    let sortOrder: SortOrder

    /// The order in which min/max statistics compare values (parquet.thrift, ColumnOrder).
    enum SortOrder: Sendable {
        case signed, unsigned, float, double, float16, boolean
        /// Unsigned byte-wise lexicographic.
        case bytes
        /// Big-endian two's complement (decimals in FIXED_LEN_BYTE_ARRAY).
        case signedBigEndian
        /// No defined order: no min/max is written.
        case undefined
    }

    /// Bytes needed for a decimal of `precision` digits in two's complement.
    static func decimalByteLength(precision: Int) -> Int {
        var bytes = 1
        // 10^precision - 1 must fit in 8 * bytes - 1 bits.
        while Double(8 * bytes - 1) * 0.30102999566398120 < Double(precision) { bytes += 1 }
        return bytes
    }

    init(physicalType: PhysicalType, typeLength: Int? = nil, logicalType: LogicalType? = nil,
         convertedType: ConvertedType? = nil, scale: Int? = nil, precision: Int? = nil, sortOrder: SortOrder) {
        self.physicalType = physicalType
        self.typeLength = typeLength
        self.logicalType = logicalType
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.sortOrder = sortOrder
    }

    init(for type: DataType) throws {
        switch type {
        case .boolean:
            self.init(physicalType: .boolean, sortOrder: .boolean)
        case .int8:
            self.init(physicalType: .int32, logicalType: .integer(bitWidth: 8, isSigned: true), convertedType: .int8, sortOrder: .signed)
        case .int16:
            self.init(physicalType: .int32, logicalType: .integer(bitWidth: 16, isSigned: true), convertedType: .int16, sortOrder: .signed)
        case .int32:
            self.init(physicalType: .int32, sortOrder: .signed)
        case .int64:
            self.init(physicalType: .int64, sortOrder: .signed)
        case .uint8:
            self.init(physicalType: .int32, logicalType: .integer(bitWidth: 8, isSigned: false), convertedType: .uint8, sortOrder: .unsigned)
        case .uint16:
            self.init(physicalType: .int32, logicalType: .integer(bitWidth: 16, isSigned: false), convertedType: .uint16, sortOrder: .unsigned)
        case .uint32:
            self.init(physicalType: .int32, logicalType: .integer(bitWidth: 32, isSigned: false), convertedType: .uint32, sortOrder: .unsigned)
        case .uint64:
            self.init(physicalType: .int64, logicalType: .integer(bitWidth: 64, isSigned: false), convertedType: .uint64, sortOrder: .unsigned)
        case .float16:
            self.init(physicalType: .fixedLenByteArray, typeLength: 2, logicalType: .float16, sortOrder: .float16)
        case .float32:
            self.init(physicalType: .float, sortOrder: .float)
        case .float64:
            self.init(physicalType: .double, sortOrder: .double)
        case .decimal(let precision, let scale):
            let logical = LogicalType.decimal(scale: Int32(scale), precision: Int32(precision))
            if precision <= 9 {
                self.init(physicalType: .int32, logicalType: logical, convertedType: .decimal, scale: scale, precision: precision, sortOrder: .signed)
            } else if precision <= 18 {
                self.init(physicalType: .int64, logicalType: logical, convertedType: .decimal, scale: scale, precision: precision, sortOrder: .signed)
            } else {
                self.init(physicalType: .fixedLenByteArray, typeLength: Self.decimalByteLength(precision: precision),
                          logicalType: logical, convertedType: .decimal, scale: scale, precision: precision, sortOrder: .signedBigEndian)
            }
        case .date32:
            self.init(physicalType: .int32, logicalType: .date, convertedType: .date, sortOrder: .signed)
        case .time(let unit, let utc):
            let logical = LogicalType.time(isAdjustedToUTC: utc, unit: LogicalTimeUnit(unit))
            switch unit {
            case .milliseconds:
                self.init(physicalType: .int32, logicalType: logical, convertedType: utc ? .timeMillis : nil, sortOrder: .signed)
            case .microseconds:
                self.init(physicalType: .int64, logicalType: logical, convertedType: utc ? .timeMicros : nil, sortOrder: .signed)
            case .nanoseconds:
                self.init(physicalType: .int64, logicalType: logical, sortOrder: .signed)
            }
        case .timestamp(let unit, let utc):
            let logical = LogicalType.timestamp(isAdjustedToUTC: utc, unit: LogicalTimeUnit(unit))
            let converted: ConvertedType? = !utc ? nil
                : unit == .milliseconds ? .timestampMillis : unit == .microseconds ? .timestampMicros : nil
            self.init(physicalType: .int64, logicalType: logical, convertedType: converted, sortOrder: .signed)
        case .string:
            self.init(physicalType: .byteArray, logicalType: .string, convertedType: .utf8, sortOrder: .bytes)
        case .json:
            self.init(physicalType: .byteArray, logicalType: .json, convertedType: .json, sortOrder: .bytes)
        case .enumeration:
            self.init(physicalType: .byteArray, logicalType: .enumeration, convertedType: .enumeration, sortOrder: .bytes)
        case .binary:
            self.init(physicalType: .byteArray, sortOrder: .bytes)
        case .fixedSizeBinary(let width):
            self.init(physicalType: .fixedLenByteArray, typeLength: width, sortOrder: .bytes)
        case .uuid:
            self.init(physicalType: .fixedLenByteArray, typeLength: 16, logicalType: .uuid, sortOrder: .bytes)
        case .interval:
            self.init(physicalType: .fixedLenByteArray, typeLength: 12, convertedType: .interval, sortOrder: .undefined)
        case .list, .map, .structure:
            throw ParquetError.invalidArgument("\(type) is not a leaf type")
        }
    }
}

extension LogicalTimeUnit {
    init(_ unit: TimeUnit) {
        switch unit {
        case .milliseconds: self = .millis
        case .microseconds: self = .micros
        case .nanoseconds: self = .nanos
        }
    }
}
