import Testing
@testable import Parquet

// Byte sequences are the compact encoding of the parquet.thrift `LogicalType` union, built by
// hand from the spec: a struct field header per union member, the member's struct, stop bytes.

private func decodeLogicalType(_ bytes: [UInt8]) throws -> LogicalType {
    try bytes.withUnsafeBytes { try LogicalType.decode($0) }
}

@Suite struct LogicalTypeTests {
    static let encodings: [(LogicalType, [UInt8])] = [
        (.string, [0x1C, 0x00, 0x00]),
        (.enumeration, [0x4C, 0x00, 0x00]),
        // field 5 DecimalType { 1: scale = 2, 2: precision = 9 }
        (.decimal(scale: 2, precision: 9), [0x5C, 0x15, 0x04, 0x15, 0x12, 0x00, 0x00]),
        // field 8 TimestampType { 1: true (in the header), 2: TimeUnit { 2: MicroSeconds {} } }
        (.timestamp(isAdjustedToUTC: true, unit: .micros), [0x8C, 0x11, 0x1C, 0x2C, 0x00, 0x00, 0x00, 0x00]),
        (.time(isAdjustedToUTC: false, unit: .nanos), [0x7C, 0x12, 0x1C, 0x3C, 0x00, 0x00, 0x00, 0x00]),
        // field 10 IntType { 1: i8 bitWidth = 8, 2: isSigned = true }
        (.integer(bitWidth: 8, isSigned: true), [0xAC, 0x13, 0x08, 0x11, 0x00, 0x00]),
        (.unknown, [0xBC, 0x00, 0x00]),
        (.float16, [0xFC, 0x00, 0x00]),
        // field 16 (long form: zigzag 32) VariantType { 1: specification_version = 1 }
        (.variant(specificationVersion: 1), [0x0C, 0x20, 0x13, 0x01, 0x00, 0x00]),
        // field 18 GeographyType { 1: crs "c", 2: algorithm KARNEY (4) }
        (.geography(crs: "c", algorithm: .karney), [0x0C, 0x24, 0x18, 0x01, 0x63, 0x15, 0x08, 0x00, 0x00]),
    ]

    @Test(arguments: encodings)
    func decodesAndEncodesSpecBytes(type: LogicalType, bytes: [UInt8]) throws {
        #expect(try decodeLogicalType(bytes) == type)
        #expect(type.encode() == bytes)
    }

    static let allCases: [LogicalType] = [
        .string, .map, .list, .enumeration, .decimal(scale: 0, precision: 38), .date,
        .time(isAdjustedToUTC: true, unit: .millis), .time(isAdjustedToUTC: false, unit: .micros),
        .timestamp(isAdjustedToUTC: false, unit: .nanos), .integer(bitWidth: 64, isSigned: false),
        .unknown, .json, .bson, .uuid, .float16, .variant(specificationVersion: nil),
        .geometry(crs: nil), .geometry(crs: "OGC:CRS84"), .geography(crs: nil, algorithm: nil),
        .unrecognized(fieldID: 19),
    ]

    @Test(arguments: allCases)
    func roundTrips(type: LogicalType) throws {
        #expect(try decodeLogicalType(type.encode()) == type)
    }

    @Test func unknownMemberIsUnrecognizedNotAnError() throws {
        // field 25 (long form) holding a struct with an i32 field
        #expect(try decodeLogicalType([0x0C, 0x32, 0x15, 0x02, 0x00, 0x00]) == .unrecognized(fieldID: 25))
        // a known member wins over an unknown one, in either order (field 1 after 25: long form)
        #expect(try decodeLogicalType([0x1C, 0x00, 0x0C, 0x32, 0x00, 0x00]) == .string)
        #expect(try decodeLogicalType([0x0C, 0x32, 0x00, 0x0C, 0x02, 0x00, 0x00]) == .string)
    }

    @Test func schemaElementWithAnUnknownLogicalTypeStillDecodes() throws {
        // SchemaElement { 4: name "x", 10: LogicalType { 25: {} } }
        let bytes: [UInt8] = [0x48, 0x01, 0x78, 0x6C, 0x0C, 0x32, 0x00, 0x00, 0x00]
        let element = try bytes.withUnsafeBytes { try SchemaElement.decode($0) }
        #expect(element == SchemaElement(name: "x", logicalType: .unrecognized(fieldID: 25)))
        // Its contents were not kept, so it is not written back.
        #expect(element.encode() == [0x48, 0x01, 0x78, 0x00])
    }

    @Test func emptyUnionThrows() {
        #expect(throws: ParquetError.self) { try decodeLogicalType([0x00]) }
        // A member of the wrong wire type is skipped, leaving the union empty.
        #expect(throws: ParquetError.self) { try decodeLogicalType([0x15, 0x02, 0x00]) }
    }

    @Test func unknownTimeUnitThrows() {
        // TimestampType with TimeUnit member 4
        let bytes: [UInt8] = [0x8C, 0x11, 0x1C, 0x4C, 0x00, 0x00, 0x00, 0x00]
        let error = #expect(throws: ParquetError.self) { try decodeLogicalType(bytes) }
        #expect(error?.description == "corrupt Parquet data: thrift: unknown TimeUnit member 4 at byte offset 4")
    }

    @Test func missingRequiredMemberFieldThrows() {
        // DecimalType without precision
        #expect(throws: ParquetError.self) { try decodeLogicalType([0x5C, 0x15, 0x04, 0x00, 0x00]) }
        // IntType without isSigned
        #expect(throws: ParquetError.self) { try decodeLogicalType([0xAC, 0x13, 0x08, 0x00, 0x00]) }
    }
}

@Suite struct ColumnOrderTests {
    @Test func members() throws {
        func decode(_ bytes: [UInt8]) throws -> ColumnOrder { try bytes.withUnsafeBytes { try ColumnOrder.decode($0) } }
        #expect(try decode([0x1C, 0x00, 0x00]) == .typeOrder)
        #expect(try decode([0x2C, 0x00, 0x00]) == .ieee754TotalOrder)
        #expect(try decode([0x3C, 0x00, 0x00]) == .unrecognized(fieldID: 3))
        // Unrecognized orders are written back so the list stays aligned with the leaves.
        #expect(ColumnOrder.unrecognized(fieldID: 3).encode() == [0x3C, 0x00, 0x00])
        #expect(ColumnOrder.typeOrder.encode() == [0x1C, 0x00, 0x00])
        #expect(throws: ParquetError.self) { try decode([0x00]) }
    }
}
