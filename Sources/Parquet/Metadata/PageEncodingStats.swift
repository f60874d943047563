/// Mirrors thrift struct `PageEncodingStats`: how many pages of a column chunk have a given
/// page type and encoding.
public struct PageEncodingStats: Equatable, Hashable, Sendable, ThriftCodable {
    public var pageType: PageType
    public var encoding: Encoding
    public var count: Int32

    public init(pageType: PageType, encoding: Encoding, count: Int32) {
        self.pageType = pageType
        self.encoding = encoding
        self.count = count
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var pageType: PageType?
        var encoding: Encoding?
        var count: Int32?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: pageType = PageType(rawValue: try reader.readI32())
            case 2 where field.type == .i32: encoding = Encoding(rawValue: try reader.readI32())
            case 3 where field.type == .i32: count = try reader.readI32()
            default: try reader.skip(field)
            }
        }
        guard let pageType else { throw reader.missingField("page_type", in: "PageEncodingStats") }
        guard let encoding else { throw reader.missingField("encoding", in: "PageEncodingStats") }
        guard let count else { throw reader.missingField("count", in: "PageEncodingStats") }
        self.init(pageType: pageType, encoding: encoding, count: count)
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeEnumField(1, pageType)
        writer.writeEnumField(2, encoding)
        writer.writeI32Field(3, count)
        writer.endStruct(enclosing)
    }
}
