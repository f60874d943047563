/// A cursor that decodes the Thrift compact protocol from a byte buffer it does not own.
///
/// Every read checks the bytes left first and throws `ParquetError.corrupt("thrift: …")` naming
/// the byte offset, so hostile input can make decoding fail but never trap, loop forever or
/// allocate more than a small multiple of its own size. List, set and map sizes and binary
/// lengths are checked against the bytes left before anything is reserved, and `skip` gives up
/// past `maxSkipDepth` nested containers. See `README.md` beside this file for how the metadata
/// structs use it.
///
/// The buffer must stay valid while the reader is used; `[UInt8]` results are copies.
public struct ThriftCompactReader {
    /// Containers nested deeper than this make `skip` throw instead of recursing further.
    public static let maxSkipDepth = 64

    /// Upper bound, in bytes, on the array capacity reserved for a list of structs before its
    /// elements are decoded: a forged count cannot reserve more than this up front.
    static let maxUpfrontListBytes = 1 << 20

    /// The bytes being decoded.
    public let bytes: UnsafeRawBufferPointer
    /// Bytes consumed so far: after decoding a page header, its encoded size.
    public private(set) var offset: Int
    /// Added to `offset` in error messages, so that they can name a position in the file.
    public let baseOffset: Int

    public init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0) {
        self.bytes = bytes
        self.offset = 0
        self.baseOffset = baseOffset
    }

    /// Bytes not yet consumed.
    @inline(__always)
    public var remaining: Int { bytes.count &- offset }

    // MARK: Errors (out of line so that the read paths stay small)

    /// A `.corrupt` error that says what is wrong and where.
    @inline(never)
    public func corrupt(_ detail: String) -> ParquetError {
        .corrupt("thrift: \(detail) at byte offset \(baseOffset + offset)")
    }

    /// The error for a struct that ended without one of its required fields.
    @inline(never)
    public func missingField(_ field: String, in structName: String) -> ParquetError {
        .corrupt("thrift: \(structName) missing required field \(field) (struct ends at byte offset \(baseOffset + offset))")
    }

    @inline(never)
    func truncated(needing count: Int) -> ParquetError {
        corrupt("unexpected end of data: need \(count) bytes, \(remaining) left")
    }

    // MARK: Primitives

    @inline(__always)
    func load(at index: Int) -> UInt8 {
        bytes.baseAddress.unsafelyUnwrapped.load(fromByteOffset: index, as: UInt8.self)
    }

    @inline(__always)
    public mutating func readByte() throws -> UInt8 {
        guard offset < bytes.count else { throw truncated(needing: 1) }
        let byte = load(at: offset)
        offset &+= 1
        return byte
    }

    /// Reads an unsigned LEB128 varint of up to 10 bytes.
    @inline(__always)
    public mutating func readVarint() throws -> UInt64 {
        if offset < bytes.count {
            let byte = load(at: offset)
            if byte < 0x80 {
                offset &+= 1
                return UInt64(byte)
            }
        }
        return try readLongVarint()
    }

    @inline(never)
    mutating func readLongVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = offset
        while true {
            guard index < bytes.count else { throw truncated(needing: index - offset + 1) }
            let byte = load(at: index)
            index &+= 1
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { break }
            shift &+= 7
            if shift >= 70 { throw corrupt("varint longer than 10 bytes") }
        }
        offset = index
        return result
    }

    @inline(__always)
    public mutating func readI8() throws -> Int8 {
        Int8(bitPattern: try readByte())
    }

    @inline(__always)
    public mutating func readI16() throws -> Int16 {
        let zigzag = try readVarint()
        guard zigzag <= UInt64(UInt16.max) else { throw corrupt("i16 varint \(zigzag) out of range") }
        let value = UInt16(truncatingIfNeeded: zigzag)
        return Int16(bitPattern: (value &>> 1) ^ (0 &- (value & 1)))
    }

    @inline(__always)
    public mutating func readI32() throws -> Int32 {
        let zigzag = try readVarint()
        guard zigzag <= UInt64(UInt32.max) else { throw corrupt("i32 varint \(zigzag) out of range") }
        let value = UInt32(truncatingIfNeeded: zigzag)
        return Int32(bitPattern: (value &>> 1) ^ (0 &- (value & 1)))
    }

    @inline(__always)
    public mutating func readI64() throws -> Int64 {
        let value = try readVarint()
        return Int64(bitPattern: (value &>> 1) ^ (0 &- (value & 1)))
    }

    /// Reads a double: 8 bytes, little-endian (unlike the binary protocol).
    public mutating func readDouble() throws -> Double {
        guard remaining >= 8 else { throw truncated(needing: 8) }
        let bits = bytes.baseAddress.unsafelyUnwrapped.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset &+= 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    /// Reads a bool list/set/map element: one byte, 1 for true; 0 and 2 are false (writers differ).
    public mutating func readBool() throws -> Bool {
        switch try readByte() {
        case 1: return true
        case 0, 2: return false
        case let other: throw corrupt("invalid bool element \(other)")
        }
    }

    /// Reads a binary's length and returns a view of its bytes, valid as long as `bytes` is.
    public mutating func readBinaryView() throws -> UnsafeRawBufferPointer {
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            throw corrupt("binary length \(length) exceeds the \(remaining) bytes left")
        }
        let count = Int(length)
        guard count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let view = UnsafeRawBufferPointer(start: bytes.baseAddress.unsafelyUnwrapped + offset, count: count)
        offset &+= count
        return view
    }

    /// Reads a binary as a copy of its bytes.
    public mutating func readBinary() throws -> [UInt8] {
        Array(try readBinaryView())
    }

    /// Reads a string. Invalid UTF-8 is repaired with U+FFFD rather than failing the read, as
    /// the Java and C++ readers do.
    public mutating func readString() throws -> String {
        String(decoding: try readBinaryView(), as: UTF8.self)
    }

    // MARK: Structure

    /// Reads a field header, or returns nil at the struct's stop byte.
    ///
    /// `lastID` is the previous field's id (0 at the start of a struct) and is updated: short
    /// headers carry the id as a delta of 1…15 from it, long ones as a zigzag i16 after the type.
    @inline(__always)
    public mutating func readFieldHeader(lastID: inout Int16) throws -> ThriftFieldHeader? {
        let byte = try readByte()
        let code = byte & 0x0F
        if code == 0 { return nil }
        guard let type = ThriftType(compactCode: code) else {
            throw corrupt("invalid field type \(code)")
        }
        let delta = byte &>> 4
        let id: Int16
        if delta != 0 {
            let (sum, overflow) = lastID.addingReportingOverflow(Int16(delta))
            guard !overflow else { throw corrupt("field id overflows after \(lastID)") }
            id = sum
        } else {
            id = try readI16()
        }
        lastID = id
        return ThriftFieldHeader(id: id, type: type, boolValue: code == 1)
    }

    /// Reads a list (or set) header, checking the size against the bytes left.
    ///
    /// A lone zero byte is accepted as an empty list whatever its element type, as some
    /// writers produce it; callers must check `elementType` only when `count > 0`.
    public mutating func readListHeader() throws -> (elementType: ThriftType, count: Int) {
        let byte = try readByte()
        let shortCount = Int(byte &>> 4)
        let code = byte & 0x0F
        guard let type = ThriftType(compactCode: code) else {
            if byte == 0 { return (.i8, 0) }
            throw corrupt("invalid list element type \(code)")
        }
        var count = shortCount
        if shortCount == 15 {
            let long = try readVarint()
            guard long <= UInt64(Int32.max) else { throw corrupt("list size \(long) out of range") }
            count = Int(long)
        }
        guard count <= remaining / type.minimumElementSize else {
            throw corrupt("list of \(count) \(type) elements exceeds the \(remaining) bytes left")
        }
        return (type, count)
    }

    /// Reads a map header, checking the size against the bytes left.
    public mutating func readMapHeader() throws -> (keyType: ThriftType, valueType: ThriftType, count: Int) {
        let size = try readVarint()
        if size == 0 { return (.i8, .i8, 0) }
        guard size <= UInt64(Int32.max) else { throw corrupt("map size \(size) out of range") }
        let types = try readByte()
        guard let keyType = ThriftType(compactCode: types &>> 4),
              let valueType = ThriftType(compactCode: types & 0x0F)
        else { throw corrupt("invalid map types \(types)") }
        let count = Int(size)
        guard count <= remaining / (keyType.minimumElementSize + valueType.minimumElementSize) else {
            throw corrupt("map of \(count) entries exceeds the \(remaining) bytes left")
        }
        return (keyType, valueType, count)
    }

    // MARK: Skipping

    /// Skips the value of a field that the caller does not know or whose type is unexpected.
    @inline(__always)
    public mutating func skip(_ field: ThriftFieldHeader) throws {
        if field.type == .bool { return }  // the value was in the header
        try skip(field.type, depth: Self.maxSkipDepth)
    }

    /// Skips one value of `type` as it appears in a list, set or map (a bool takes one byte).
    public mutating func skip(_ type: ThriftType) throws {
        try skip(type, depth: Self.maxSkipDepth)
    }

    mutating func skip(_ type: ThriftType, depth: Int) throws {
        switch type {
        case .bool, .i8:
            _ = try readByte()
        case .i16, .i32, .i64:
            _ = try readVarint()
        case .double:
            try skipBytes(8)
        case .uuid:
            try skipBytes(16)
        case .binary:
            _ = try readBinaryView()
        case .list, .set:
            guard depth > 0 else { throw tooDeep() }
            let (elementType, count) = try readListHeader()
            for _ in 0..<count { try skip(elementType, depth: depth - 1) }
        case .map:
            guard depth > 0 else { throw tooDeep() }
            let (keyType, valueType, count) = try readMapHeader()
            for _ in 0..<count {
                try skip(keyType, depth: depth - 1)
                try skip(valueType, depth: depth - 1)
            }
        case .struct:
            guard depth > 0 else { throw tooDeep() }
            var lastID: Int16 = 0
            while let field = try readFieldHeader(lastID: &lastID) {
                if field.type != .bool { try skip(field.type, depth: depth - 1) }
            }
        }
    }

    @inline(never)
    func tooDeep() -> ParquetError {
        corrupt("values nested more than \(Self.maxSkipDepth) levels deep")
    }

    mutating func skipBytes(_ count: Int) throws {
        guard remaining >= count else { throw truncated(needing: count) }
        offset &+= count
    }

    // MARK: Typed lists

    /// Throws unless a non-empty list holds `expected` elements.
    @inline(__always)
    func checkElements(_ found: ThriftType, _ expected: ThriftType) throws {
        guard found == expected else { throw corrupt("expected list<\(expected)>, found list<\(found)>") }
    }

    /// Reads a list of structs.
    public mutating func readList<T: ThriftCodable>(of type: T.Type) throws -> [T] {
        let (elementType, count) = try readListHeader()
        if count == 0 { return [] }
        try checkElements(elementType, .struct)
        var result: [T] = []
        let upfront = Self.maxUpfrontListBytes / Swift.max(1, MemoryLayout<T>.stride)
        result.reserveCapacity(Swift.min(count, Swift.max(16, upfront)))
        for _ in 0..<count { result.append(try T(from: &self)) }
        return result
    }

    public mutating func readI32List() throws -> [Int32] {
        let (elementType, count) = try readListHeader()
        if count == 0 { return [] }
        try checkElements(elementType, .i32)
        var result: [Int32] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readI32()) }
        return result
    }

    /// Reads a list of thrift enum values.
    public mutating func readEnumList<E: RawRepresentable>(of type: E.Type) throws -> [E] where E.RawValue == Int32 {
        let (elementType, count) = try readListHeader()
        if count == 0 { return [] }
        try checkElements(elementType, .i32)
        var result: [E] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            // Every Int32 is a valid value of Sparrow's enum structs; nil cannot happen.
            guard let value = E(rawValue: try readI32()) else { throw corrupt("invalid enum value") }
            result.append(value)
        }
        return result
    }

    public mutating func readI64List() throws -> [Int64] {
        let (elementType, count) = try readListHeader()
        if count == 0 { return [] }
        try checkElements(elementType, .i64)
        var result: [Int64] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readI64()) }
        return result
    }

    public mutating func readBoolList() throws -> [Bool] {
        let (elementType, count) = try readListHeader()
        if count == 0 { return [] }
        try checkElements(elementType, .bool)
        var result: [Bool] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readBool()) }
        return result
    }

    public mutating func readBinaryList() throws -> [[UInt8]] {
        let (elementType, count) = try readListHeader()
        if count == 0 { return [] }
        try checkElements(elementType, .binary)
        var result: [[UInt8]] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readBinary()) }
        return result
    }

    public mutating func readStringList() throws -> [String] {
        let (elementType, count) = try readListHeader()
        if count == 0 { return [] }
        try checkElements(elementType, .binary)
        var result: [String] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try readString()) }
        return result
    }
}
