/// Mirrors thrift union `LogicalType`: the annotation that says how to interpret a column's
/// physical values, superseding `ConvertedType`.
///
/// Each case is one union member; members whose thrift struct has fields carry them as
/// associated values. A member this version does not know (for example one added by a newer
/// format release) decodes as `.unrecognized(fieldID:)` instead of failing the read; readers
/// should then treat the column as having no logical type. `SchemaElement` does not write an
/// unrecognized logical type back, since its contents were not kept.
public enum LogicalType: Equatable, Hashable, Sendable, ThriftCodable {
    case string
    case map
    case list
    case enumeration
    case decimal(scale: Int32, precision: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: LogicalTimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: LogicalTimeUnit)
    /// `bitWidth` is 8, 16, 32 or 64.
    case integer(bitWidth: Int8, isSigned: Bool)
    /// Thrift `NullType`: a column that only holds nulls.
    case unknown
    case json
    case bson
    case uuid
    case float16
    case variant(specificationVersion: Int8?)
    /// `crs` nil means OGC:CRS84.
    case geometry(crs: String?)
    /// `crs` nil means OGC:CRS84; `algorithm` nil means SPHERICAL.
    case geography(crs: String?, algorithm: EdgeInterpolationAlgorithm?)
    /// A union member with this field id that this version does not know.
    case unrecognized(fieldID: Int16)

    public init(from reader: inout ThriftCompactReader) throws {
        var result: LogicalType?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            guard field.type == .struct else {
                try reader.skip(field)
                continue
            }
            switch field.id {
            case 1: try reader.skip(field); result = .string
            case 2: try reader.skip(field); result = .map
            case 3: try reader.skip(field); result = .list
            case 4: try reader.skip(field); result = .enumeration
            case 5: result = try Self.readDecimal(&reader)
            case 6: try reader.skip(field); result = .date
            case 7:
                let (utc, unit) = try Self.readTime(&reader, name: "TimeType")
                result = .time(isAdjustedToUTC: utc, unit: unit)
            case 8:
                let (utc, unit) = try Self.readTime(&reader, name: "TimestampType")
                result = .timestamp(isAdjustedToUTC: utc, unit: unit)
            case 10: result = try Self.readInteger(&reader)
            case 11: try reader.skip(field); result = .unknown
            case 12: try reader.skip(field); result = .json
            case 13: try reader.skip(field); result = .bson
            case 14: try reader.skip(field); result = .uuid
            case 15: try reader.skip(field); result = .float16
            case 16: result = try Self.readVariant(&reader)
            case 17: result = try Self.readGeometry(&reader)
            case 18: result = try Self.readGeography(&reader)
            default:
                try reader.skip(field)
                if result == nil { result = .unrecognized(fieldID: field.id) }
            }
        }
        guard let result else { throw reader.corrupt("LogicalType union has no member") }
        self = result
    }

    private static func readDecimal(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        var scale: Int32?
        var precision: Int32?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: scale = try reader.readI32()
            case 2 where field.type == .i32: precision = try reader.readI32()
            default: try reader.skip(field)
            }
        }
        guard let scale else { throw reader.missingField("scale", in: "DecimalType") }
        guard let precision else { throw reader.missingField("precision", in: "DecimalType") }
        return .decimal(scale: scale, precision: precision)
    }

    /// Reads a `TimeType` or `TimestampType`, which have the same fields.
    private static func readTime(
        _ reader: inout ThriftCompactReader, name: String
    ) throws -> (isAdjustedToUTC: Bool, unit: LogicalTimeUnit) {
        var isAdjustedToUTC: Bool?
        var unit: LogicalTimeUnit?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .bool: isAdjustedToUTC = field.boolValue
            case 2 where field.type == .struct: unit = try LogicalTimeUnit(from: &reader)
            default: try reader.skip(field)
            }
        }
        guard let isAdjustedToUTC else { throw reader.missingField("isAdjustedToUTC", in: name) }
        guard let unit else { throw reader.missingField("unit", in: name) }
        return (isAdjustedToUTC, unit)
    }

    private static func readInteger(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        var bitWidth: Int8?
        var isSigned: Bool?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i8: bitWidth = try reader.readI8()
            case 2 where field.type == .bool: isSigned = field.boolValue
            default: try reader.skip(field)
            }
        }
        guard let bitWidth else { throw reader.missingField("bitWidth", in: "IntType") }
        guard let isSigned else { throw reader.missingField("isSigned", in: "IntType") }
        return .integer(bitWidth: bitWidth, isSigned: isSigned)
    }

    private static func readVariant(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        var version: Int8?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i8: version = try reader.readI8()
            default: try reader.skip(field)
            }
        }
        return .variant(specificationVersion: version)
    }

    private static func readGeometry(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        var crs: String?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .binary: crs = try reader.readString()
            default: try reader.skip(field)
            }
        }
        return .geometry(crs: crs)
    }

    private static func readGeography(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        var crs: String?
        var algorithm: EdgeInterpolationAlgorithm?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .binary: crs = try reader.readString()
            case 2 where field.type == .i32: algorithm = EdgeInterpolationAlgorithm(rawValue: try reader.readI32())
            default: try reader.skip(field)
            }
        }
        return .geography(crs: crs, algorithm: algorithm)
    }

    /// Writes the union. An `.unrecognized` member is written as an empty struct with its field
    /// id, which is only right if that member's struct has no required fields.
    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        switch self {
        case .string: writer.writeEmptyStructField(1)
        case .map: writer.writeEmptyStructField(2)
        case .list: writer.writeEmptyStructField(3)
        case .enumeration: writer.writeEmptyStructField(4)
        case .decimal(let scale, let precision):
            writer.writeFieldHeader(.struct, id: 5)
            let member = writer.beginStruct()
            writer.writeI32Field(1, scale)
            writer.writeI32Field(2, precision)
            writer.endStruct(member)
        case .date: writer.writeEmptyStructField(6)
        case .time(let utc, let unit):
            Self.writeTime(id: 7, isAdjustedToUTC: utc, unit: unit, to: &writer)
        case .timestamp(let utc, let unit):
            Self.writeTime(id: 8, isAdjustedToUTC: utc, unit: unit, to: &writer)
        case .integer(let bitWidth, let isSigned):
            writer.writeFieldHeader(.struct, id: 10)
            let member = writer.beginStruct()
            writer.writeI8Field(1, bitWidth)
            writer.writeBoolField(2, isSigned)
            writer.endStruct(member)
        case .unknown: writer.writeEmptyStructField(11)
        case .json: writer.writeEmptyStructField(12)
        case .bson: writer.writeEmptyStructField(13)
        case .uuid: writer.writeEmptyStructField(14)
        case .float16: writer.writeEmptyStructField(15)
        case .variant(let version):
            writer.writeFieldHeader(.struct, id: 16)
            let member = writer.beginStruct()
            writer.writeI8Field(1, version)
            writer.endStruct(member)
        case .geometry(let crs):
            writer.writeFieldHeader(.struct, id: 17)
            let member = writer.beginStruct()
            writer.writeStringField(1, crs)
            writer.endStruct(member)
        case .geography(let crs, let algorithm):
            writer.writeFieldHeader(.struct, id: 18)
            let member = writer.beginStruct()
            writer.writeStringField(1, crs)
            writer.writeEnumField(2, algorithm)
            writer.endStruct(member)
        case .unrecognized(let fieldID):
            writer.writeEmptyStructField(fieldID)
        }
        writer.endStruct(enclosing)
    }

    private static func writeTime(
        id: Int16, isAdjustedToUTC: Bool, unit: LogicalTimeUnit, to writer: inout ThriftCompactWriter
    ) {
        writer.writeFieldHeader(.struct, id: id)
        let member = writer.beginStruct()
        writer.writeBoolField(1, isAdjustedToUTC)
        writer.writeStructField(2, unit)
        writer.endStruct(member)
    }
}
