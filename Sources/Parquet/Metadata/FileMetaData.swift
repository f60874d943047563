/// Mirrors thrift struct `FileMetaData`: the footer of a Parquet file.
///
/// The footer is the `length` bytes before the last 8 of the file (a 4-byte little-endian
/// `length`, then "PAR1"); decode them with `FileMetaData.decode(_:)`.
public struct FileMetaData: Equatable, Hashable, Sendable, ThriftCodable {
    /// 1 or 2; readers should treat both alike.
    public var version: Int32
    /// The schema tree, depth-first, root first.
    public var schema: [SchemaElement]
    public var numRows: Int64
    public var rowGroups: [RowGroup]
    public var keyValueMetadata: [KeyValue]?
    /// "<application> version <version> (build <hash>)", used to work around known writer bugs.
    public var createdBy: String?
    /// One per leaf column, in schema order.
    public var columnOrders: [ColumnOrder]?
    /// Set only in encrypted files with a plaintext footer.
    public var encryptionAlgorithm: EncryptionAlgorithm?
    public var footerSigningKeyMetadata: [UInt8]?

    public init(
        version: Int32, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup],
        keyValueMetadata: [KeyValue]? = nil, createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil,
        encryptionAlgorithm: EncryptionAlgorithm? = nil, footerSigningKeyMetadata: [UInt8]? = nil
    ) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.columnOrders = columnOrders
        self.encryptionAlgorithm = encryptionAlgorithm
        self.footerSigningKeyMetadata = footerSigningKeyMetadata
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var version: Int32?
        var schema: [SchemaElement]?
        var numRows: Int64?
        var rowGroups: [RowGroup]?
        var keyValueMetadata: [KeyValue]?
        var createdBy: String?
        var columnOrders: [ColumnOrder]?
        var encryptionAlgorithm: EncryptionAlgorithm?
        var footerSigningKeyMetadata: [UInt8]?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: version = try reader.readI32()
            case 2 where field.type == .list: schema = try reader.readList(of: SchemaElement.self)
            case 3 where field.type == .i64: numRows = try reader.readI64()
            case 4 where field.type == .list: rowGroups = try reader.readList(of: RowGroup.self)
            case 5 where field.type == .list: keyValueMetadata = try reader.readList(of: KeyValue.self)
            case 6 where field.type == .binary: createdBy = try reader.readString()
            case 7 where field.type == .list: columnOrders = try reader.readList(of: ColumnOrder.self)
            case 8 where field.type == .struct: encryptionAlgorithm = try EncryptionAlgorithm(from: &reader)
            case 9 where field.type == .binary: footerSigningKeyMetadata = try reader.readBinary()
            default: try reader.skip(field)
            }
        }
        guard let version else { throw reader.missingField("version", in: "FileMetaData") }
        guard let schema else { throw reader.missingField("schema", in: "FileMetaData") }
        guard let numRows else { throw reader.missingField("num_rows", in: "FileMetaData") }
        guard let rowGroups else { throw reader.missingField("row_groups", in: "FileMetaData") }
        self.init(
            version: version, schema: schema, numRows: numRows, rowGroups: rowGroups,
            keyValueMetadata: keyValueMetadata, createdBy: createdBy, columnOrders: columnOrders,
            encryptionAlgorithm: encryptionAlgorithm, footerSigningKeyMetadata: footerSigningKeyMetadata)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeI32Field(1, version)
        writer.writeListField(2, schema)
        writer.writeI64Field(3, numRows)
        writer.writeListField(4, rowGroups)
        writer.writeListField(5, keyValueMetadata)
        writer.writeStringField(6, createdBy)
        writer.writeListField(7, columnOrders)
        writer.writeStructField(8, encryptionAlgorithm)
        writer.writeBinaryField(9, footerSigningKeyMetadata)
        writer.endStruct(enclosing)
    }
}
