/// Mirrors thrift struct `ColumnChunk`: one column of one row group, with the locations of
/// its page index.
public struct ColumnChunk: Equatable, Hashable, Sendable, ThriftCodable {
    /// A file other than this one holding the data (only seen in summary `_metadata` files).
    public var filePath: String?
    /// Deprecated; writers set 0.
    public var fileOffset: Int64
    /// Optional in thrift but written by every major writer.
    public var metaData: ColumnMetaData?
    public var offsetIndexOffset: Int64?
    public var offsetIndexLength: Int32?
    public var columnIndexOffset: Int64?
    public var columnIndexLength: Int32?
    public var cryptoMetadata: ColumnCryptoMetaData?
    /// `ColumnMetaData` encrypted with the column key.
    public var encryptedColumnMetadata: [UInt8]?

    public init(
        filePath: String? = nil, fileOffset: Int64 = 0, metaData: ColumnMetaData? = nil,
        offsetIndexOffset: Int64? = nil, offsetIndexLength: Int32? = nil,
        columnIndexOffset: Int64? = nil, columnIndexLength: Int32? = nil,
        cryptoMetadata: ColumnCryptoMetaData? = nil, encryptedColumnMetadata: [UInt8]? = nil
    ) {
        self.filePath = filePath
        self.fileOffset = fileOffset
        self.metaData = metaData
        self.offsetIndexOffset = offsetIndexOffset
        self.offsetIndexLength = offsetIndexLength
        self.columnIndexOffset = columnIndexOffset
        self.columnIndexLength = columnIndexLength
        self.cryptoMetadata = cryptoMetadata
        self.encryptedColumnMetadata = encryptedColumnMetadata
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var filePath: String?
        var fileOffset: Int64?
        var metaData: ColumnMetaData?
        var offsetIndexOffset: Int64?
        var offsetIndexLength: Int32?
        var columnIndexOffset: Int64?
        var columnIndexLength: Int32?
        var cryptoMetadata: ColumnCryptoMetaData?
        var encryptedColumnMetadata: [UInt8]?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .binary: filePath = try reader.readString()
            case 2 where field.type == .i64: fileOffset = try reader.readI64()
            case 3 where field.type == .struct: metaData = try ColumnMetaData(from: &reader)
            case 4 where field.type == .i64: offsetIndexOffset = try reader.readI64()
            case 5 where field.type == .i32: offsetIndexLength = try reader.readI32()
            case 6 where field.type == .i64: columnIndexOffset = try reader.readI64()
            case 7 where field.type == .i32: columnIndexLength = try reader.readI32()
            case 8 where field.type == .struct: cryptoMetadata = try ColumnCryptoMetaData(from: &reader)
            case 9 where field.type == .binary: encryptedColumnMetadata = try reader.readBinary()
            default: try reader.skip(field)
            }
        }
        guard let fileOffset else { throw reader.missingField("file_offset", in: "ColumnChunk") }
        self.init(
            filePath: filePath, fileOffset: fileOffset, metaData: metaData,
            offsetIndexOffset: offsetIndexOffset, offsetIndexLength: offsetIndexLength,
            columnIndexOffset: columnIndexOffset, columnIndexLength: columnIndexLength,
            cryptoMetadata: cryptoMetadata, encryptedColumnMetadata: encryptedColumnMetadata)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeStringField(1, filePath)
        writer.writeI64Field(2, fileOffset)
        writer.writeStructField(3, metaData)
        writer.writeI64Field(4, offsetIndexOffset)
        writer.writeI32Field(5, offsetIndexLength)
        writer.writeI64Field(6, columnIndexOffset)
        writer.writeI32Field(7, columnIndexLength)
        writer.writeStructField(8, cryptoMetadata)
        writer.writeBinaryField(9, encryptedColumnMetadata)
        writer.endStruct(enclosing)
    }
}
