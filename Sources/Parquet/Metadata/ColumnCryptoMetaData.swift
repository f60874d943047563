/// Mirrors thrift union `ColumnCryptoMetaData`: which key encrypts a column chunk.
public enum ColumnCryptoMetaData: Equatable, Hashable, Sendable, ThriftCodable {
    case encryptionWithFooterKey
    case encryptionWithColumnKey(EncryptionWithColumnKey)
    case unrecognized(fieldID: Int16)

    public init(from reader: inout ThriftCompactReader) throws {
        var result: ColumnCryptoMetaData?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .struct:
                try reader.skip(field)
                result = .encryptionWithFooterKey
            case 2 where field.type == .struct:
                result = .encryptionWithColumnKey(try EncryptionWithColumnKey(from: &reader))
            default:
                try reader.skip(field)
                if result == nil, field.type == .struct { result = .unrecognized(fieldID: field.id) }
            }
        }
        guard let result else { throw reader.corrupt("ColumnCryptoMetaData union has no member") }
        self = result
    }

    /// Writes the union; an `.unrecognized` member is written as an empty struct.
    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        switch self {
        case .encryptionWithFooterKey: writer.writeEmptyStructField(1)
        case .encryptionWithColumnKey(let key): writer.writeStructField(2, key)
        case .unrecognized(let fieldID): writer.writeEmptyStructField(fieldID)
        }
        writer.endStruct(enclosing)
    }
}

/// Mirrors thrift struct `EncryptionWithColumnKey`: a column encrypted with its own key.
public struct EncryptionWithColumnKey: Equatable, Hashable, Sendable, ThriftCodable {
    public var pathInSchema: [String]
    /// Retrieval metadata of the column key.
    public var keyMetadata: [UInt8]?

    public init(pathInSchema: [String], keyMetadata: [UInt8]? = nil) {
        self.pathInSchema = pathInSchema
        self.keyMetadata = keyMetadata
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var pathInSchema: [String]?
        var keyMetadata: [UInt8]?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .list: pathInSchema = try reader.readStringList()
            case 2 where field.type == .binary: keyMetadata = try reader.readBinary()
            default: try reader.skip(field)
            }
        }
        guard let pathInSchema else { throw reader.missingField("path_in_schema", in: "EncryptionWithColumnKey") }
        self.init(pathInSchema: pathInSchema, keyMetadata: keyMetadata)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeStringListField(1, pathInSchema)
        writer.writeBinaryField(2, keyMetadata)
        writer.endStruct(enclosing)
    }
}
