import Testing
@testable import Parquet

// Expected bytes follow thrift/doc/specs/thrift-compact-protocol.md (see ThriftCompactReaderTests).

private func written(_ body: (inout ThriftCompactWriter) -> Void) -> [UInt8] {
    var writer = ThriftCompactWriter()
    body(&writer)
    return writer.bytes
}

@Suite struct ThriftCompactWriterTests {
    @Test func varintFromTheSpecExample() {
        #expect(written { $0.writeVarint(50399) } == [0xDF, 0x89, 0x03])
        #expect(written { $0.writeVarint(UInt64.max) } == [UInt8](repeating: 0xFF, count: 9) + [0x01])
    }

    @Test func zigzagLimits() {
        #expect(written { $0.writeI32(-1) } == [0x01])
        #expect(written { $0.writeI32(2) } == [0x04])
        #expect(written { $0.writeI32(Int32.max) } == [0xFE, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(written { $0.writeI32(Int32.min) } == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(written { $0.writeI16(Int16.min) } == [0xFF, 0xFF, 0x03])
        #expect(written { $0.writeI64(Int64.max) } == [0xFE] + [UInt8](repeating: 0xFF, count: 8) + [0x01])
        #expect(written { $0.writeI64(Int64.min) } == [UInt8](repeating: 0xFF, count: 9) + [0x01])
    }

    @Test func doubleIsLittleEndian() {
        #expect(written { $0.writeDouble(1.0) } == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    }

    @Test func fieldHeadersUseDeltasWhenTheyFit() {
        let bytes = written { w in
            let outer = w.beginStruct()
            w.writeI32Field(1, 1)  // delta 1
            w.writeI64Field(3, 2)  // delta 2
            w.writeI32Field(32, 1)  // delta 29: long form
            w.writeI32Field(33, 1)  // delta 1 again
            w.writeI32Field(2, 1)  // backwards: long form
            w.writeI32Field(4, nil)  // nil: nothing written
            w.endStruct(outer)
        }
        #expect(bytes == [0x15, 0x02, 0x26, 0x04, 0x05, 0x40, 0x02, 0x15, 0x02, 0x05, 0x04, 0x02, 0x00])
    }

    @Test func nestedStructsRestoreTheEnclosingFieldID() {
        let bytes = written { w in
            let outer = w.beginStruct()
            w.writeI32Field(5, 1)
            w.writeFieldHeader(.struct, id: 6)
            let inner = w.beginStruct()
            w.writeI32Field(1, 1)  // delta from 0 inside the inner struct
            w.endStruct(inner)
            w.writeI32Field(7, 1)  // delta from 6 outside
            w.endStruct(outer)
        }
        #expect(bytes == [0x55, 0x02, 0x1C, 0x15, 0x02, 0x00, 0x15, 0x02, 0x00])
    }

    @Test func boolFieldsLiveInTheTypeNibble() {
        let bytes = written { w in
            let outer = w.beginStruct()
            w.writeBoolField(1, true)
            w.writeBoolField(2, false)
            w.writeBoolField(3, nil)
            w.endStruct(outer)
        }
        #expect(bytes == [0x11, 0x12, 0x00])
    }

    @Test func listHeaderShortAndLongForms() {
        #expect(written { $0.writeListHeader(.i32, count: 0) } == [0x05])
        #expect(written { $0.writeListHeader(.struct, count: 14) } == [0xEC])
        #expect(written { $0.writeListHeader(.binary, count: 15) } == [0xF8, 0x0F])
        #expect(written { $0.writeListHeader(.i64, count: 300) } == [0xF6, 0xAC, 0x02])
        // Bool elements: code 1 as the C++ and Java libraries write; values 1 and 2.
        #expect(written { $0.writeBoolListField(1, [true, false]) } == [0x19, 0x21, 0x01, 0x02])
    }

    @Test func binaryAndString() {
        #expect(written { $0.writeString("abc") } == [0x03, 0x61, 0x62, 0x63])
        #expect(written { $0.writeString("é") } == [0x02, 0xC3, 0xA9])
        #expect(written { $0.writeBinary([]) } == [0x00])
    }

    @Test(arguments: [Int64.min, -1 << 40, -300, -1, 0, 1, 63, 64, 1 << 31, Int64.max])
    func integersRoundTrip(value: Int64) throws {
        let bytes = written { w in
            w.writeI64(value)
            w.writeI32(Int32(truncatingIfNeeded: value))
            w.writeI16(Int16(truncatingIfNeeded: value))
            w.writeI8(Int8(truncatingIfNeeded: value))
        }
        try bytes.withUnsafeBytes { buffer throws in
            var reader = ThriftCompactReader(buffer)
            #expect(try reader.readI64() == value)
            #expect(try reader.readI32() == Int32(truncatingIfNeeded: value))
            #expect(try reader.readI16() == Int16(truncatingIfNeeded: value))
            #expect(try reader.readI8() == Int8(truncatingIfNeeded: value))
            #expect(reader.remaining == 0)
        }
    }

    @Test func listsRoundTrip() throws {
        let strings = (0..<20).map { "s\($0)" }
        let bytes = written { w in
            let outer = w.beginStruct()
            w.writeStringListField(1, strings)
            w.writeI64ListField(2, [-5, 0, 1 << 50])
            w.writeBoolListField(3, [true, false, true])
            w.writeBinaryListField(4, [[], [1, 2, 3]])
            w.writeI32ListField(20, [])
            w.endStruct(outer)
        }
        try bytes.withUnsafeBytes { buffer throws in
            var reader = ThriftCompactReader(buffer)
            var last: Int16 = 0
            #expect(try reader.readFieldHeader(lastID: &last)?.id == 1)
            #expect(try reader.readStringList() == strings)
            #expect(try reader.readFieldHeader(lastID: &last)?.id == 2)
            #expect(try reader.readI64List() == [-5, 0, 1 << 50])
            #expect(try reader.readFieldHeader(lastID: &last)?.id == 3)
            #expect(try reader.readBoolList() == [true, false, true])
            #expect(try reader.readFieldHeader(lastID: &last)?.id == 4)
            #expect(try reader.readBinaryList() == [[], [1, 2, 3]])
            #expect(try reader.readFieldHeader(lastID: &last)?.id == 20)
            #expect(try reader.readI32List() == [])
            #expect(try reader.readFieldHeader(lastID: &last) == nil)
            #expect(reader.remaining == 0)
        }
    }
}
