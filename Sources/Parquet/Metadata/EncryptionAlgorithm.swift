/// Mirrors thrift union `EncryptionAlgorithm`: how an encrypted file's modules are encrypted.
///
/// Sparrow does not decrypt; it decodes this so that a reader can tell an encrypted file from
/// a corrupt one and say so.
public enum EncryptionAlgorithm: Equatable, Hashable, Sendable, ThriftCodable {
    case aesGcmV1(AesGcmV1)
    case aesGcmCtrV1(AesGcmCtrV1)
    case unrecognized(fieldID: Int16)

    public init(from reader: inout ThriftCompactReader) throws {
        var result: EncryptionAlgorithm?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .struct: result = .aesGcmV1(try AesGcmV1(from: &reader))
            case 2 where field.type == .struct: result = .aesGcmCtrV1(try AesGcmCtrV1(from: &reader))
            default:
                try reader.skip(field)
                if result == nil, field.type == .struct { result = .unrecognized(fieldID: field.id) }
            }
        }
        guard let result else { throw reader.corrupt("EncryptionAlgorithm union has no member") }
        self = result
    }

    /// Writes the union; an `.unrecognized` member is written as an empty struct.
    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        switch self {
        case .aesGcmV1(let parameters): writer.writeStructField(1, parameters)
        case .aesGcmCtrV1(let parameters): writer.writeStructField(2, parameters)
        case .unrecognized(let fieldID): writer.writeEmptyStructField(fieldID)
        }
        writer.endStruct(enclosing)
    }
}

/// Mirrors thrift struct `AesGcmCtrV1`, which has the same fields as `AesGcmV1`.
public typealias AesGcmCtrV1 = AesGcmV1

/// Mirrors thrift struct `AesGcmV1`: the AAD parameters of AES-GCM encryption.
public struct AesGcmV1: Equatable, Hashable, Sendable, ThriftCodable {
    public var aadPrefix: [UInt8]?
    public var aadFileUnique: [UInt8]?
    /// True when readers must supply the AAD prefix, which the file does not store.
    public var supplyAadPrefix: Bool?

    public init(aadPrefix: [UInt8]? = nil, aadFileUnique: [UInt8]? = nil, supplyAadPrefix: Bool? = nil) {
        self.aadPrefix = aadPrefix
        self.aadFileUnique = aadFileUnique
        self.supplyAadPrefix = supplyAadPrefix
    }

    public init(from reader: inout ThriftCompactReader) throws {
        self.init()
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .binary: aadPrefix = try reader.readBinary()
            case 2 where field.type == .binary: aadFileUnique = try reader.readBinary()
            case 3 where field.type == .bool: supplyAadPrefix = field.boolValue
            default: try reader.skip(field)
            }
        }
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeBinaryField(1, aadPrefix)
        writer.writeBinaryField(2, aadFileUnique)
        writer.writeBoolField(3, supplyAadPrefix)
        writer.endStruct(enclosing)
    }
}
