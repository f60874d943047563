/// Mirrors thrift struct `KeyValue`: one entry of file or column chunk key/value metadata.
public struct KeyValue: Equatable, Hashable, Sendable, ThriftCodable {
    public var key: String
    public var value: String?

    public init(key: String, value: String? = nil) {
        self.key = key
        self.value = value
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var key: String?
        var value: String?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .binary: key = try reader.readString()
            case 2 where field.type == .binary: value = try reader.readString()
            default: try reader.skip(field)
            }
        }
        guard let key else { throw reader.missingField("key", in: "KeyValue") }
        self.init(key: key, value: value)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeStringField(1, key)
        writer.writeStringField(2, value)
        writer.endStruct(enclosing)
    }
}
