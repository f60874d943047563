/// Mirrors thrift struct `DictionaryPageHeader`: the header of the dictionary page, which
/// comes first in its column chunk.
public struct DictionaryPageHeader: Equatable, Hashable, Sendable, ThriftCodable {
    public var numValues: Int32
    /// PLAIN (or the deprecated PLAIN_DICTIONARY, which means the same for dictionary pages).
    public var encoding: Encoding
    public var isSorted: Bool?

    public init(numValues: Int32, encoding: Encoding, isSorted: Bool? = nil) {
        self.numValues = numValues
        self.encoding = encoding
        self.isSorted = isSorted
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var numValues: Int32?
        var encoding: Encoding?
        var isSorted: Bool?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: numValues = try reader.readI32()
            case 2 where field.type == .i32: encoding = Encoding(rawValue: try reader.readI32())
            case 3 where field.type == .bool: isSorted = field.boolValue
            default: try reader.skip(field)
            }
        }
        guard let numValues else { throw reader.missingField("num_values", in: "DictionaryPageHeader") }
        guard let encoding else { throw reader.missingField("encoding", in: "DictionaryPageHeader") }
        self.init(numValues: numValues, encoding: encoding, isSorted: isSorted)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeI32Field(1, numValues)
        writer.writeEnumField(2, encoding)
        writer.writeBoolField(3, isSorted)
        writer.endStruct(enclosing)
    }
}
