/// Encodes the Thrift compact protocol into a growing byte array.
///
/// Structs are written between `beginStruct()` and `endStruct(_:)`, which keep the previous
/// field id for the header delta encoding on the call stack, so nesting needs no allocation.
/// Optional-taking field writers skip `nil` values, which is how thrift optional fields are
/// left out. To put the result into a `BufferBuilder`, append `bytes` to it.
public struct ThriftCompactWriter {
    /// Everything written so far.
    public private(set) var bytes: [UInt8]
    var lastFieldID: Int16 = 0

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: Primitives

    @inline(__always)
    public mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Writes an unsigned LEB128 varint.
    public mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value &>>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    public mutating func writeI8(_ value: Int8) {
        bytes.append(UInt8(bitPattern: value))
    }

    public mutating func writeI16(_ value: Int16) {
        writeI64(Int64(value))
    }

    public mutating func writeI32(_ value: Int32) {
        writeI64(Int64(value))
    }

    /// Writes a zigzag varint; for an i16 or i32 value this gives the same bytes as zigzag
    /// encoding at the narrower width.
    public mutating func writeI64(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value &<< 1) ^ (value &>> 63)))
    }

    /// Writes a double: 8 bytes, little-endian.
    public mutating func writeDouble(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a bool list element: 1 for true, 2 for false, as the C++ and Java libraries do.
    public mutating func writeBool(_ value: Bool) {
        bytes.append(value ? 1 : 2)
    }

    public mutating func writeBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    // MARK: Structure

    /// Starts a struct; pass the result to `endStruct`.
    @inline(__always)
    public mutating func beginStruct() -> Int16 {
        defer { lastFieldID = 0 }
        return lastFieldID
    }

    /// Writes the stop byte and returns to the enclosing struct's field numbering.
    @inline(__always)
    public mutating func endStruct(_ enclosingLastFieldID: Int16) {
        bytes.append(0)
        lastFieldID = enclosingLastFieldID
    }

    /// Writes a field header; the value must follow. Use `writeBoolField` for bools.
    public mutating func writeFieldHeader(_ type: ThriftType, id: Int16) {
        writeFieldHeader(code: type.compactCode, id: id)
    }

    mutating func writeFieldHeader(code: UInt8, id: Int16) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) &<< 4 | code)
        } else {
            bytes.append(code)
            writeI16(id)
        }
        lastFieldID = id
    }

    /// Writes a list (or set) header.
    public mutating func writeListHeader(_ elementType: ThriftType, count: Int) {
        precondition(count >= 0 && count <= Int(Int32.max), "thrift list too long")
        if count < 15 {
            bytes.append(UInt8(count) &<< 4 | elementType.compactCode)
        } else {
            bytes.append(0xF0 | elementType.compactCode)
            writeVarint(UInt64(count))
        }
    }

    // MARK: Fields

    public mutating func writeBoolField(_ id: Int16, _ value: Bool?) {
        guard let value else { return }
        writeFieldHeader(code: value ? 1 : 2, id: id)
    }

    public mutating func writeI8Field(_ id: Int16, _ value: Int8?) {
        guard let value else { return }
        writeFieldHeader(.i8, id: id)
        writeI8(value)
    }

    public mutating func writeI16Field(_ id: Int16, _ value: Int16?) {
        guard let value else { return }
        writeFieldHeader(.i16, id: id)
        writeI16(value)
    }

    public mutating func writeI32Field(_ id: Int16, _ value: Int32?) {
        guard let value else { return }
        writeFieldHeader(.i32, id: id)
        writeI32(value)
    }

    /// Writes a thrift enum field.
    public mutating func writeEnumField<E: RawRepresentable>(_ id: Int16, _ value: E?) where E.RawValue == Int32 {
        writeI32Field(id, value?.rawValue)
    }

    public mutating func writeI64Field(_ id: Int16, _ value: Int64?) {
        guard let value else { return }
        writeFieldHeader(.i64, id: id)
        writeI64(value)
    }

    public mutating func writeDoubleField(_ id: Int16, _ value: Double?) {
        guard let value else { return }
        writeFieldHeader(.double, id: id)
        writeDouble(value)
    }

    public mutating func writeBinaryField(_ id: Int16, _ value: [UInt8]?) {
        guard let value else { return }
        writeFieldHeader(.binary, id: id)
        writeBinary(value)
    }

    public mutating func writeStringField(_ id: Int16, _ value: String?) {
        guard let value else { return }
        writeFieldHeader(.binary, id: id)
        writeString(value)
    }

    public mutating func writeStructField<T: ThriftCodable>(_ id: Int16, _ value: T?) {
        guard let value else { return }
        writeFieldHeader(.struct, id: id)
        value.write(to: &self)
    }

    /// Writes an empty struct, the member of a union whose type carries no data.
    public mutating func writeEmptyStructField(_ id: Int16) {
        writeFieldHeader(.struct, id: id)
        bytes.append(0)
    }

    public mutating func writeListField<T: ThriftCodable>(_ id: Int16, _ values: [T]?) {
        guard let values else { return }
        writeFieldHeader(.list, id: id)
        writeListHeader(.struct, count: values.count)
        for value in values { value.write(to: &self) }
    }

    public mutating func writeI32ListField(_ id: Int16, _ values: [Int32]?) {
        guard let values else { return }
        writeFieldHeader(.list, id: id)
        writeListHeader(.i32, count: values.count)
        for value in values { writeI32(value) }
    }

    public mutating func writeEnumListField<E: RawRepresentable>(_ id: Int16, _ values: [E]?) where E.RawValue == Int32 {
        guard let values else { return }
        writeFieldHeader(.list, id: id)
        writeListHeader(.i32, count: values.count)
        for value in values { writeI32(value.rawValue) }
    }

    public mutating func writeI64ListField(_ id: Int16, _ values: [Int64]?) {
        guard let values else { return }
        writeFieldHeader(.list, id: id)
        writeListHeader(.i64, count: values.count)
        for value in values { writeI64(value) }
    }

    public mutating func writeBoolListField(_ id: Int16, _ values: [Bool]?) {
        guard let values else { return }
        writeFieldHeader(.list, id: id)
        writeListHeader(.bool, count: values.count)
        for value in values { writeBool(value) }
    }

    public mutating func writeBinaryListField(_ id: Int16, _ values: [[UInt8]]?) {
        guard let values else { return }
        writeFieldHeader(.list, id: id)
        writeListHeader(.binary, count: values.count)
        for value in values { writeBinary(value) }
    }

    public mutating func writeStringListField(_ id: Int16, _ values: [String]?) {
        guard let values else { return }
        writeFieldHeader(.list, id: id)
        writeListHeader(.binary, count: values.count)
        for value in values { writeString(value) }
    }
}
