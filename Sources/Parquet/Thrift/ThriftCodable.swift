/// A Swift mirror of a parquet.thrift struct or union that reads and writes itself in the
/// Thrift compact protocol.
public protocol ThriftCodable {
    /// Reads one encoded struct, including its stop byte.
    init(from reader: inout ThriftCompactReader) throws
    /// Writes the struct, including its stop byte.
    func write(to writer: inout ThriftCompactWriter)
}

extension ThriftCodable {
    /// Decodes a value from the start of `bytes`; bytes after the value are ignored.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Self {
        var reader = ThriftCompactReader(bytes)
        return try Self(from: &reader)
    }

    /// Decodes a value at the reader's position; `reader.offset` then says where it ended.
    public static func decode(from reader: inout ThriftCompactReader) throws -> Self {
        try Self(from: &reader)
    }

    /// The value's compact-protocol encoding.
    public func encode() -> [UInt8] {
        var writer = ThriftCompactWriter()
        write(to: &writer)
        return writer.bytes
    }
}
