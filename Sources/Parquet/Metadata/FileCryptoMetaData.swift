/// Mirrors thrift struct `FileCryptoMetaData`: what precedes the encrypted footer of a file
/// whose magic is "PARE".
public struct FileCryptoMetaData: Equatable, Hashable, Sendable, ThriftCodable {
    public var encryptionAlgorithm: EncryptionAlgorithm
    /// Retrieval metadata of the footer key.
    public var keyMetadata: [UInt8]?

    public init(encryptionAlgorithm: EncryptionAlgorithm, keyMetadata: [UInt8]? = nil) {
        self.encryptionAlgorithm = encryptionAlgorithm
        self.keyMetadata = keyMetadata
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var encryptionAlgorithm: EncryptionAlgorithm?
        var keyMetadata: [UInt8]?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .struct: encryptionAlgorithm = try EncryptionAlgorithm(from: &reader)
            case 2 where field.type == .binary: keyMetadata = try reader.readBinary()
            default: try reader.skip(field)
            }
        }
        guard let encryptionAlgorithm else {
            throw reader.missingField("encryption_algorithm", in: "FileCryptoMetaData")
        }
        self.init(encryptionAlgorithm: encryptionAlgorithm, keyMetadata: keyMetadata)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeStructField(1, encryptionAlgorithm)
        writer.writeBinaryField(2, keyMetadata)
        writer.endStruct(enclosing)
    }
}
