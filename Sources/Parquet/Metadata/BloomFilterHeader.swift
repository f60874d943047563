/// Mirrors thrift struct `BloomFilterHeader`: the header in front of a column chunk's bloom
/// filter bitset.
public struct BloomFilterHeader: Equatable, Hashable, Sendable, ThriftCodable {
    /// Size of the bitset that follows the header.
    public var numBytes: Int32
    public var algorithm: BloomFilterAlgorithm
    public var hash: BloomFilterHash
    public var compression: BloomFilterCompression

    public init(
        numBytes: Int32, algorithm: BloomFilterAlgorithm = .block, hash: BloomFilterHash = .xxHash,
        compression: BloomFilterCompression = .uncompressed
    ) {
        self.numBytes = numBytes
        self.algorithm = algorithm
        self.hash = hash
        self.compression = compression
    }

    public init(from reader: inout ThriftCompactReader) throws {
        var numBytes: Int32?
        var algorithm: BloomFilterAlgorithm?
        var hash: BloomFilterHash?
        var compression: BloomFilterCompression?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            switch field.id {
            case 1 where field.type == .i32: numBytes = try reader.readI32()
            case 2 where field.type == .struct:
                algorithm = .init(member: try Self.readUnionMember(&reader, name: "BloomFilterAlgorithm"))
            case 3 where field.type == .struct:
                hash = .init(member: try Self.readUnionMember(&reader, name: "BloomFilterHash"))
            case 4 where field.type == .struct:
                compression = .init(member: try Self.readUnionMember(&reader, name: "BloomFilterCompression"))
            default: try reader.skip(field)
            }
        }
        guard let numBytes else { throw reader.missingField("numBytes", in: "BloomFilterHeader") }
        guard let algorithm else { throw reader.missingField("algorithm", in: "BloomFilterHeader") }
        guard let hash else { throw reader.missingField("hash", in: "BloomFilterHeader") }
        guard let compression else { throw reader.missingField("compression", in: "BloomFilterHeader") }
        self.init(numBytes: numBytes, algorithm: algorithm, hash: hash, compression: compression)
    }

    /// Reads a union whose members are all empty structs, returning the member's field id.
    private static func readUnionMember(_ reader: inout ThriftCompactReader, name: String) throws -> Int16 {
        var member: Int16?
        var lastID: Int16 = 0
        while let field = try reader.readFieldHeader(lastID: &lastID) {
            try reader.skip(field)
            if field.type == .struct, member == nil { member = field.id }
        }
        guard let member else { throw reader.corrupt("\(name) union has no member") }
        return member
    }

    public func write(to writer: inout ThriftCompactWriter) {
        let enclosing = writer.beginStruct()
        writer.writeI32Field(1, numBytes)
        Self.writeUnion(id: 2, member: algorithm.member, to: &writer)
        Self.writeUnion(id: 3, member: hash.member, to: &writer)
        Self.writeUnion(id: 4, member: compression.member, to: &writer)
        writer.endStruct(enclosing)
    }

    private static func writeUnion(id: Int16, member: Int16, to writer: inout ThriftCompactWriter) {
        writer.writeFieldHeader(.struct, id: id)
        let union = writer.beginStruct()
        writer.writeEmptyStructField(member)
        writer.endStruct(union)
    }
}

/// Mirrors thrift union `BloomFilterAlgorithm`.
public enum BloomFilterAlgorithm: Equatable, Hashable, Sendable {
    /// The split block bloom filter (`SplitBlockAlgorithm`).
    case block
    case unrecognized(fieldID: Int16)

    init(member: Int16) { self = member == 1 ? .block : .unrecognized(fieldID: member) }
    var member: Int16 {
        switch self {
        case .block: 1
        case .unrecognized(let id): id
        }
    }
}

/// Mirrors thrift union `BloomFilterHash`.
public enum BloomFilterHash: Equatable, Hashable, Sendable {
    /// 64-bit xxHash of the PLAIN-encoded value (`XxHash`).
    case xxHash
    case unrecognized(fieldID: Int16)

    init(member: Int16) { self = member == 1 ? .xxHash : .unrecognized(fieldID: member) }
    var member: Int16 {
        switch self {
        case .xxHash: 1
        case .unrecognized(let id): id
        }
    }
}

/// Mirrors thrift union `BloomFilterCompression`.
public enum BloomFilterCompression: Equatable, Hashable, Sendable {
    case uncompressed
    case unrecognized(fieldID: Int16)

    init(member: Int16) { self = member == 1 ? .uncompressed : .unrecognized(fieldID: member) }
    var member: Int16 {
        switch self {
        case .uncompressed: 1
        case .unrecognized(let id): id
        }
    }
}
