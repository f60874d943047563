import Testing
@testable import Parquet

// Expected bytes follow thrift/doc/specs/thrift-compact-protocol.md: LEB128 varints, zigzag
// ints, "ddddtttt" short field headers, "0000tttt" + zigzag i16 long ones, booleans in the
// type nibble, "sssstttt" list headers with the "1111tttt" + varint long form.

/// Runs `body` on a reader over `bytes`.
private func read<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws -> T) throws -> T {
    try bytes.withUnsafeBytes { buffer in
        var reader = ThriftCompactReader(buffer)
        return try body(&reader)
    }
}

/// The message of the `ParquetError.corrupt` that `body` throws, or nil if it throws nothing.
private func corruptMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let ParquetError.corrupt(message) {
        return message
    } catch {
        return "unexpected error \(error)"
    }
}

@Suite struct ThriftCompactReaderTests {
    @Test func varintFromTheSpecExample() throws {
        // "the integer 50399 is encoded as … 0xDF 0x89 0x03"
        let (value, offset) = try read([0xDF, 0x89, 0x03]) { r in (try r.readVarint(), r.offset) }
        #expect(value == 50399)
        #expect(offset == 3)
    }

    static let zigzag32: [([UInt8], Int32)] = [
        ([0x00], 0), ([0x01], -1), ([0x02], 1), ([0x03], -2), ([0x04], 2),  // the spec's table
        ([0x7F], -64), ([0x80, 0x01], 64),  // last one-byte value, first two-byte one
        ([0xFE, 0xFF, 0xFF, 0xFF, 0x0F], Int32.max), ([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], Int32.min),
    ]

    @Test(arguments: zigzag32)
    func zigzagI32(bytes: [UInt8], value: Int32) throws {
        #expect(try read(bytes) { try $0.readI32() } == value)
        #expect(try read(bytes) { try $0.readI64() } == Int64(value))
    }

    static let zigzag64: [([UInt8], Int64)] = [
        ([0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], Int64.max),
        ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], Int64.min),
        ([0x80, 0x80, 0x80, 0x80, 0x10], 1 << 31),
    ]

    @Test(arguments: zigzag64)
    func zigzagI64(bytes: [UInt8], value: Int64) throws {
        #expect(try read(bytes) { try $0.readI64() } == value)
    }

    @Test func zigzagI16Limits() throws {
        #expect(try read([0xFE, 0xFF, 0x03]) { try $0.readI16() } == Int16.max)
        #expect(try read([0xFF, 0xFF, 0x03]) { try $0.readI16() } == Int16.min)
    }

    @Test func integersOutOfRangeThrow() {
        // 2^32 does not fit an i32 zigzag value, 2^16 not an i16 one.
        let i32 = corruptMessage { _ = try read([0x80, 0x80, 0x80, 0x80, 0x10]) { try $0.readI32() } }
        #expect(i32?.contains("i32") == true)
        let i16 = corruptMessage { _ = try read([0x80, 0x80, 0x04]) { try $0.readI16() } }
        #expect(i16?.contains("i16") == true)
    }

    @Test func varintLongerThanTenBytesThrows() {
        let message = corruptMessage { _ = try read([UInt8](repeating: 0x80, count: 10) + [0x01]) { try $0.readVarint() } }
        #expect(message?.contains("longer than 10 bytes") == true)
    }

    @Test func truncatedVarintThrowsWithOffset() {
        let message = corruptMessage { _ = try read([0x80, 0x80]) { try $0.readVarint() } }
        #expect(message?.contains("unexpected end of data") == true)
        #expect(message?.contains("byte offset 0") == true)
    }

    @Test func errorsAddTheBaseOffset() {
        let message = corruptMessage {
            try [UInt8]([0x15]).withUnsafeBytes { buffer in
                var reader = ThriftCompactReader(buffer, baseOffset: 1000)
                _ = try reader.readByte()
                _ = try reader.readI32()
            }
        }
        #expect(message?.hasSuffix("at byte offset 1001") == true)
    }

    @Test func doubleIsLittleEndian() throws {
        #expect(try read([0, 0, 0, 0, 0, 0, 0xF0, 0x3F]) { try $0.readDouble() } == 1.0)
        #expect(try read([0x18, 0x2D, 0x44, 0x54, 0xFB, 0x21, 0x09, 0x40]) { try $0.readDouble() } == Double.pi)
        #expect(corruptMessage { _ = try read([0, 0, 0]) { try $0.readDouble() } } != nil)
    }

    @Test func binaryAndString() throws {
        #expect(try read([0x03, 0x61, 0x62, 0x63]) { try $0.readString() } == "abc")
        #expect(try read([0x02, 0xFF, 0x00]) { try $0.readBinary() } == [0xFF, 0x00])
        #expect(try read([0x00]) { try $0.readBinary() } == [])
        #expect(try read([0x00]) { try $0.readString() } == "")
    }

    @Test func binaryLongerThanTheInputThrowsBeforeAllocating() {
        let short = corruptMessage { _ = try read([0x05, 0x61]) { try $0.readBinary() } }
        #expect(short?.contains("binary length 5 exceeds the 1 bytes left") == true)
        // A length of 2^35 would be a 32 GB allocation if it were trusted.
        let huge = corruptMessage { _ = try read([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) { try $0.readBinary() } }
        #expect(huge?.contains("exceeds") == true)
    }

    @Test func shortFieldHeadersAddDeltas() throws {
        // field 1 i32 = 1, field 3 (delta 2) i64 = 2, stop
        let fields = try read([0x15, 0x02, 0x26, 0x04, 0x00]) { r -> [ThriftFieldHeader] in
            var last: Int16 = 0
            var headers: [ThriftFieldHeader] = []
            while let field = try r.readFieldHeader(lastID: &last) {
                headers.append(field)
                _ = try r.readI64()
            }
            #expect(r.remaining == 0)
            return headers
        }
        #expect(fields == [ThriftFieldHeader(id: 1, type: .i32), ThriftFieldHeader(id: 3, type: .i64)])
    }

    @Test func longFieldHeaderAndDeltaAfterIt() throws {
        // type i32 with zigzag id 32 (0x40), value 1; then delta 1 → id 33; then long form id -1.
        let ids = try read([0x05, 0x40, 0x02, 0x15, 0x04, 0x05, 0x01, 0x06, 0x00]) { r -> [Int16] in
            var last: Int16 = 0
            var ids: [Int16] = []
            while let field = try r.readFieldHeader(lastID: &last) {
                ids.append(field.id)
                _ = try r.readI32()
            }
            return ids
        }
        #expect(ids == [32, 33, -1])
    }

    @Test func fieldIDOverflowThrows() {
        // long form id 32767 (zigzag 0xFFFE), then a delta of 1
        let message = corruptMessage {
            _ = try read([0x05, 0xFE, 0xFF, 0x03, 0x02, 0x15, 0x02]) { r in
                var last: Int16 = 0
                while try r.readFieldHeader(lastID: &last) != nil { _ = try r.readI32() }
            }
        }
        #expect(message?.contains("field id overflows") == true)
    }

    @Test func boolFieldsLiveInTheTypeNibble() throws {
        let fields = try read([0x11, 0x12, 0x00]) { r -> [ThriftFieldHeader] in
            var last: Int16 = 0
            var headers: [ThriftFieldHeader] = []
            while let field = try r.readFieldHeader(lastID: &last) { headers.append(field) }
            #expect(r.offset == 3)
            return headers
        }
        #expect(fields == [ThriftFieldHeader(id: 1, type: .bool, boolValue: true),
                           ThriftFieldHeader(id: 2, type: .bool, boolValue: false)])
    }

    @Test(arguments: [UInt8(0x0E), 0x1F])
    func invalidFieldTypeThrows(header: UInt8) {
        let message = corruptMessage { _ = try read([header]) { r in var last: Int16 = 0; return try r.readFieldHeader(lastID: &last) } }
        #expect(message?.contains("invalid field type") == true)
    }

    @Test func listShortAndLongForms() throws {
        #expect(try read([0x35, 0x02, 0x04, 0x06]) { try $0.readI32List() } == [1, 2, 3])
        let fifteen = [0xF5, 0x0F] + [UInt8](repeating: 0x02, count: 15)
        #expect(try read(fifteen) { try $0.readI32List() } == [Int32](repeating: 1, count: 15))
        // The long form with a size under 15 is not what writers produce but is valid.
        #expect(try read([0xF6, 0x02, 0x02, 0x04]) { try $0.readI64List() } == [1, 2])
        #expect(try read([0x00]) { try $0.readI64List() } == [])
        #expect(try read([0x05]) { try $0.readStringList() } == [])
    }

    @Test func boolElementsAreBytesWithEitherTypeCode() throws {
        #expect(try read([0x31, 0x01, 0x00, 0x02]) { try $0.readBoolList() } == [true, false, false])
        #expect(try read([0x22, 0x01, 0x01]) { try $0.readBoolList() } == [true, true])
        #expect(corruptMessage { _ = try read([0x11, 0x03]) { try $0.readBoolList() } }?.contains("bool") == true)
    }

    @Test func listSizeIsCheckedAgainstTheBytesLeft() {
        // 2^31 - 1 i32 elements announced, 0 present.
        let huge = corruptMessage { _ = try read([0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07]) { try $0.readI32List() } }
        #expect(huge?.contains("exceeds") == true)
        // 2 doubles need 16 bytes.
        let doubles = corruptMessage { _ = try read([0x27] + [UInt8](repeating: 0, count: 15)) { try $0.readListHeader() } }
        #expect(doubles?.contains("exceeds") == true)
        // Sizes beyond i32 are rejected outright.
        let tooLong = corruptMessage { _ = try read([0xF5, 0x80, 0x80, 0x80, 0x80, 0x08]) { try $0.readListHeader() } }
        #expect(tooLong?.contains("out of range") == true)
    }

    @Test func listOfTheWrongElementTypeThrows() {
        let message = corruptMessage { _ = try read([0x16, 0x02]) { try $0.readI32List() } }
        #expect(message?.contains("expected list<i32>, found list<i64>") == true)
    }

    @Test func mapHeader() throws {
        // size 1, key binary (8), value i32 (5), then "a": 1
        let (header, remaining) = try read([0x01, 0x85, 0x01, 0x61, 0x02]) { r in (try r.readMapHeader(), r.remaining) }
        #expect(header.keyType == .binary && header.valueType == .i32 && header.count == 1)
        #expect(remaining == 3)
        #expect(try read([0x00]) { try $0.readMapHeader() }.count == 0)
    }

    @Test func mapSizeIsCheckedAgainstTheBytesLeft() {
        #expect(corruptMessage { _ = try read([0x02, 0x85, 0x00]) { try $0.readMapHeader() } }?.contains("exceeds") == true)
    }

    /// A KeyValue whose known fields hide among unknown ones of every type, nested.
    static let keyValueWithUnknownFields: [UInt8] = [
        0x3C,  // field 3, struct
        0x19, 0x1C,  // field 1: list of 1 struct
        0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F,  // field 1 double 1.0
        0x1D, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,  // field 2 uuid
        0x1B, 0x01, 0x85, 0x01, 0x61, 0x02,  // field 3 map<binary, i32> {"a": 1}
        0x1A, 0x21, 0x01, 0x02,  // field 4 set<bool> of 2
        0x13, 0x7F,  // field 5 i8
        0x14, 0x03,  // field 6 i16
        0x11,  // field 7 bool true (no value bytes)
        0x00,  // end of list element
        0x00,  // end of field 3
        0x08, 0x02, 0x01, 0x6B,  // long form: field 1 binary "k"
        0x18, 0x01, 0x76,  // field 2 binary "v"
        0x41,  // field 6 bool true, unknown
        0x05, 0xC8, 0x01, 0x2A,  // long form: field 100 i32 21, unknown
        0x00,
    ]

    @Test func unknownFieldsOfEveryTypeAreSkipped() throws {
        let bytes = Self.keyValueWithUnknownFields
        let (value, offset) = try read(bytes) { r in (try KeyValue(from: &r), r.offset) }
        #expect(value == KeyValue(key: "k", value: "v"))
        #expect(offset == bytes.count)
    }

    @Test func skipStopsAtTheEndOfTheValue() throws {
        // Skipping the outer unknown struct (after its header byte) lands on the next field.
        let bytes = Self.keyValueWithUnknownFields
        let offset = try read(Array(bytes.dropFirst())) { r in try r.skip(.struct); return r.offset }
        #expect(bytes[offset + 1] == 0x08)
    }

    static func nestedLists(_ count: Int) -> [UInt8] {
        // Each 0x19 is "list of 1 list"; the innermost is empty.
        [UInt8](repeating: 0x19, count: count - 1) + [0x00]
    }

    static func nestedStructs(_ count: Int) -> [UInt8] {
        // The outermost struct's header is consumed by the caller; each 0x1C opens field 1 struct.
        [UInt8](repeating: 0x1C, count: count - 1) + [UInt8](repeating: 0x00, count: count)
    }

    @Test func skipAcceptsNestingUpToTheLimit() throws {
        let depth = ThriftCompactReader.maxSkipDepth
        #expect(try read(Self.nestedLists(depth)) { r in try r.skip(.list); return r.remaining } == 0)
        #expect(try read(Self.nestedStructs(depth)) { r in try r.skip(.struct); return r.remaining } == 0)
    }

    @Test(arguments: [ThriftCompactReader.maxSkipDepth + 1, 100_000])
    func skipRejectsDeeperNesting(depth: Int) {
        let lists = corruptMessage { _ = try read(Self.nestedLists(depth)) { try $0.skip(.list) } }
        #expect(lists?.contains("nested more than 64 levels") == true)
        let structs = corruptMessage { _ = try read(Self.nestedStructs(depth)) { try $0.skip(.struct) } }
        #expect(structs?.contains("nested more than 64 levels") == true)
    }

    @Test func unknownFieldInsideAKnownStructIsSkippedToo() throws {
        // Statistics with an unknown field 20 holding a struct holding a list, then null_count 5
        // (field 3, long form since it goes backwards).
        let bytes: [UInt8] = [0x0C, 0x28, 0x19, 0x25, 0x02, 0x04, 0x00, 0x06, 0x06, 0x0A, 0x00]
        let statistics = try read(bytes) { try Statistics(from: &$0) }
        #expect(statistics == Statistics(nullCount: 5))
    }

    @Test func truncatedStructThrowsWithOffset() {
        // KeyValue: field 1 binary of 5 bytes, only 2 present.
        let message = corruptMessage { _ = try read([0x18, 0x05, 0x61, 0x62]) { try KeyValue(from: &$0) } }
        #expect(message == "thrift: binary length 5 exceeds the 2 bytes left at byte offset 2")
        // No stop byte.
        let noStop = corruptMessage { _ = try read([0x18, 0x01, 0x61]) { try KeyValue(from: &$0) } }
        #expect(noStop == "thrift: unexpected end of data: need 1 bytes, 0 left at byte offset 3")
    }

    @Test func missingRequiredFieldThrows() {
        let message = corruptMessage { _ = try read([0x28, 0x01, 0x76, 0x00]) { try KeyValue(from: &$0) } }
        #expect(message == "thrift: KeyValue missing required field key (struct ends at byte offset 4)")
    }

    @Test func fieldOfTheWrongTypeIsSkippedAsUnknown() {
        // KeyValue.key sent as an i32: skipped like generated code does, so key is missing.
        let message = corruptMessage { _ = try read([0x15, 0x02, 0x00]) { try KeyValue(from: &$0) } }
        #expect(message?.contains("missing required field key") == true)
    }

    @Test func emptyInputThrows() {
        let message = corruptMessage { _ = try read([]) { try FileMetaData(from: &$0) } }
        #expect(message == "thrift: unexpected end of data: need 1 bytes, 0 left at byte offset 0")
    }
}
