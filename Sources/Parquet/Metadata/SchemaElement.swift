/// Mirrors thrift struct `SchemaElement`: one node of the schema tree, which FileMetaData
/// lists depth-first with the root first.
///
/// Groups have `numChildren` and no `type`; leaves have a `type`. The root has no repetition.
public struct SchemaElement: Equatable, Hashable, Sendable, ThriftCodable {
    public var type: PhysicalType?
    /// Byte width of FIXED_LEN_BYTE_ARRAY values.
    public var typeLength: Int32?
    public var repetitionType: FieldRepetitionType?
    public var name: String
    public var numChildren: Int32?
    public var convertedType: ConvertedType?
    public var scale: Int32?
    public var precision: Int32?
    public var fieldId: Int32?
    public var logicalType: LogicalType?

    public init(
        type: PhysicalType? = nil, typeLength: Int32? = nil, repetitionType: FieldRepetitionType? = nil,
        name: String, numChildren: Int32? = nil, convertedType: ConvertedType? = nil,
        scale: Int32? = nil, precision: Int32? = nil, fieldId: Int32? = nil, logicalType: LogicalType? = nil
    ) {
        self.type = type
        self.typeLength = typeLength
        self.repetitionType = repetitionType
        self.name = name
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.fieldId = fieldId
        self.logicalType = logicalType
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var type: PhysicalType?
        var typeLength: Int32?
        var repetitionType: FieldRepetitionType?
        var name: String?
        var numChildren: Int32?
        var convertedType: ConvertedType?
        var scale: Int32?
        var precision: Int32?
        var fieldId: Int32?
        var logicalType: LogicalType?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: type = PhysicalType(rawValue: try reader.readI32())
            case 2 where field.type == .i32: typeLength = try reader.readI32()
            case 3 where field.type == .i32: repetitionType = FieldRepetitionType(rawValue: try reader.readI32())
            case 4 where field.type == .binary: name = try reader.readString()
            case 5 where field.type == .i32: numChildren = try reader.readI32()
            case 6 where field.type == .i32: convertedType = ConvertedType(rawValue: try reader.readI32())
            case 7 where field.type == .i32: scale = try reader.readI32()
            case 8 where field.type == .i32: precision = try reader.readI32()
            case 9 where field.type == .i32: fieldId = try reader.readI32()
            case 10 where field.type == .struct: logicalType = try LogicalType(from: &reader)
            default: try reader.skip(field)
            }
        }
        guard let name else { throw reader.missingField("name", in: "SchemaElement") }
        self.init(type: type, typeLength: typeLength, repetitionType: repetitionType, name: name,
                  numChildren: numChildren, convertedType: convertedType, scale: scale,
                  precision: precision, fieldId: fieldId, logicalType: logicalType)
    }

    /// Writes the element; an `.unrecognized` logical type is left out (see `LogicalType`).
    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeEnumField(1, type)
        writer.writeI32Field(2, typeLength)
        writer.writeEnumField(3, repetitionType)
        writer.writeStringField(4, name)
        writer.writeI32Field(5, numChildren)
        writer.writeEnumField(6, convertedType)
        writer.writeI32Field(7, scale)
        writer.writeI32Field(8, precision)
        writer.writeI32Field(9, fieldId)
        switch logicalType {
        case .unrecognized?, nil: break
        case let known?: writer.writeStructField(10, known)
        }
        writer.endStruct(enclosing)
    }
}
