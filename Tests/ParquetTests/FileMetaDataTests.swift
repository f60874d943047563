import Foundation
import Testing
@testable import Parquet

/// Footers of the parquet-testing files and Sparrow's pyarrow fixtures, decoded and compared
/// with what pyarrow and DuckDB report (Fixtures/footers/expected.json).
@Suite struct FileMetaDataTests {
    typealias Expected = FooterExpectations

    @Test func expectationsCoverEveryFile() throws {
        let expectations = try Expected.load()
        let dataFiles = try TestData.parquetFiles(in: "data").map(\.lastPathComponent)
        let listed = expectations.files.filter { $0.directory == "parquet-testing/data" }.map(\.file)
        #expect(listed == dataFiles, "regenerate with tools/fixtures/make_footer_expectations.py")
        #expect(expectations.files.count == dataFiles.count + 2)
        #expect(Expected.files.count == expectations.files.count)
    }

    static func decode(_ expected: Expected.File) throws -> (footer: [UInt8], metadata: FileMetaData) {
        let footer = try TestData.footer(of: try TestData.bytes(of: try expected.url()))
        return (footer, try TestData.decodeFooter(footer))
    }

    @Test(arguments: Expected.files)
    func footerMatchesPeers(_ expected: Expected.File) throws {
        let (footer, metadata) = try Self.decode(expected)
        #expect(footer.count == expected.footerLength)
        #expect(metadata.version == expected.version)
        #expect(metadata.numRows == expected.numRows)
        #expect(metadata.rowGroups.count == expected.numRowGroups)
        #expect(metadata.createdBy == expected.createdBy)
        let keyValues = (metadata.keyValueMetadata ?? [])
            .map { Expected.KeyValuePair(key: $0.key, value: $0.value) }
            .sorted { ($0.key, $0.value ?? "") < ($1.key, $1.value ?? "") }
        #expect(keyValues == expected.keyValueMetadata)
        #expect(metadata.columnOrders?.map(Self.name) == expected.columnOrders)

        try #require(metadata.schema.count == expected.schema.count)
        for (element, want) in zip(metadata.schema, expected.schema) {
            Self.compare(element, want)
        }
        #expect(try Self.leafPaths(metadata.schema) == expected.leafPaths)

        for (group, want) in zip(metadata.rowGroups, expected.rowGroups) {
            #expect(group.numRows == want.numRows)
            #expect(group.totalByteSize == want.totalByteSize)
            #expect(group.totalCompressedSize == want.totalCompressedSize)
            let sorting = (group.sortingColumns ?? []).map {
                Expected.Sorting(columnIdx: $0.columnIdx, descending: $0.descending, nullsFirst: $0.nullsFirst)
            }
            #expect(sorting == want.sortingColumns)
            try #require(group.columns.count == want.columns.count)
            for (chunk, wantChunk) in zip(group.columns, want.columns) {
                try Self.compare(chunk, wantChunk)
            }
        }
    }

    static func name(_ order: ColumnOrder) -> String {
        switch order {
        case .typeOrder: "TYPE_ORDER"
        case .ieee754TotalOrder: "IEEE_754_TOTAL_ORDER"
        case .unrecognized(let id): "member \(id)"
        }
    }

    static func compare(_ element: SchemaElement, _ want: Expected.Element) {
        #expect(element.name == want.name)
        #expect(element.type?.description == want.type, "\(want.name)")
        #expect(element.typeLength == want.typeLength, "\(want.name)")
        #expect(element.repetitionType?.description == want.repetitionType, "\(want.name)")
        #expect(element.numChildren == want.numChildren, "\(want.name)")
        #expect(element.convertedType?.description == want.convertedType, "\(want.name)")
        #expect(element.scale == want.scale, "\(want.name)")
        #expect(element.precision == want.precision, "\(want.name)")
        #expect(element.fieldId == want.fieldId, "\(want.name)")
        #expect(element.logicalType == want.logicalType.flatMap(logicalType), "\(want.name)")
    }

    static func logicalType(_ want: Expected.Logical) -> LogicalType? {
        let unit: LogicalTimeUnit? = switch want.unit {
        case "MILLIS": .millis
        case "MICROS": .micros
        case "NANOS": .nanos
        default: nil
        }
        switch want.kind {
        case "STRING": return .string
        case "MAP": return .map
        case "LIST": return .list
        case "ENUM": return .enumeration
        case "DECIMAL": return .decimal(scale: want.scale!, precision: want.precision!)
        case "DATE": return .date
        case "TIME": return .time(isAdjustedToUTC: want.isAdjustedToUTC!, unit: unit!)
        case "TIMESTAMP": return .timestamp(isAdjustedToUTC: want.isAdjustedToUTC!, unit: unit!)
        case "INTEGER": return .integer(bitWidth: want.bitWidth!, isSigned: want.isSigned!)
        case "UNKNOWN": return .unknown
        case "JSON": return .json
        case "BSON": return .bson
        case "UUID": return .uuid
        case "FLOAT16": return .float16
        default: return nil
        }
    }

    /// Dotted paths of the leaves, walking the depth-first element list by `numChildren`.
    static func leafPaths(_ schema: [SchemaElement]) throws -> [String] {
        var paths: [String] = []
        var index = 1
        func walk(_ prefix: [String]) throws {
            let element = schema[index]
            index += 1
            let path = prefix + [element.name]
            let children = Int(element.numChildren ?? 0)
            if children == 0 { paths.append(path.joined(separator: ".")) }
            for _ in 0..<children {
                try #require(index < schema.count)
                try walk(path)
            }
        }
        for _ in 0..<Int(schema[0].numChildren ?? 0) { try walk([]) }
        #expect(index == schema.count)
        return paths
    }

    static func compare(_ chunk: ColumnChunk, _ want: Expected.Chunk) throws {
        let meta = try #require(chunk.metaData)
        let path = want.pathInSchema
        #expect(meta.pathInSchema.joined(separator: ".") == path)
        #expect(meta.type.description == want.physicalType, "\(path)")
        #expect(meta.codec.description == want.codec, "\(path)")
        #expect(meta.numValues == want.numValues, "\(path)")
        #expect(meta.totalCompressedSize == want.totalCompressedSize, "\(path)")
        #expect(meta.totalUncompressedSize == want.totalUncompressedSize, "\(path)")
        #expect(meta.dataPageOffset == want.dataPageOffset, "\(path)")
        #expect(meta.dictionaryPageOffset == want.dictionaryPageOffset, "\(path)")
        #expect(meta.indexPageOffset == want.indexPageOffset, "\(path)")
        #expect(meta.encodings.map(\.description) == want.encodings, "\(path)")
        #expect(meta.encodingStats?.map { "\($0.pageType) \($0.encoding) \($0.count)" }
                == want.encodingStats?.map { "\($0.pageType) \($0.encoding) \($0.count)" }, "\(path)")
        if let fileOffset = want.fileOffset { #expect(chunk.fileOffset == fileOffset, "\(path)") }
        #expect(meta.bloomFilterOffset == want.bloomFilterOffset, "\(path)")
        #expect(meta.bloomFilterLength == want.bloomFilterLength, "\(path)")
        #expect(chunk.columnIndexOffset == want.columnIndexOffset, "\(path)")
        #expect(chunk.columnIndexLength == want.columnIndexLength, "\(path)")
        #expect(chunk.offsetIndexOffset == want.offsetIndexOffset, "\(path)")
        #expect(chunk.offsetIndexLength == want.offsetIndexLength, "\(path)")

        let statistics = meta.statistics
        let duck = want.duckdbStatistics
        #expect(statistics?.nullCount == duck.nullCount, "\(path)")
        #expect(statistics?.distinctCount == duck.distinctCount, "\(path)")
        #expect(statistics?.isMinValueExact == duck.isMinValueExact, "\(path)")
        #expect(statistics?.isMaxValueExact == duck.isMaxValueExact, "\(path)")
        #expect(statistics?.nanCount == duck.nanCount, "\(path)")
        if duck.showsMin { #expect(statistics?.min != nil, "\(path)") }
        if duck.showsMax { #expect(statistics?.max != nil, "\(path)") }
        if duck.showsMinValue { #expect(statistics?.minValue != nil, "\(path)") }
        if duck.showsMaxValue { #expect(statistics?.maxValue != nil, "\(path)") }

        guard let stats = want.statistics else { return }
        if let nullCount = stats.nullCount { #expect(statistics?.nullCount == nullCount, "\(path)") }
        if let distinctCount = stats.distinctCount { #expect(statistics?.distinctCount == distinctCount, "\(path)") }
        // pyarrow prefers min_value/max_value and falls back to the deprecated min/max.
        if let min = stats.min {
            expectBound(statistics?.minValue ?? statistics?.min, min, meta.type, "\(path) min")
        }
        if let max = stats.max {
            expectBound(statistics?.maxValue ?? statistics?.max, max, meta.type, "\(path) max")
        }
    }

    static func expectBound(_ bytes: [UInt8]?, _ want: String, _ type: PhysicalType, _ what: String) {
        guard let bytes else {
            Issue.record("\(what): missing, expected \(want)")
            return
        }
        guard want == "NaN" else {
            #expect(bytes.hex == want, "\(what)")
            return
        }
        switch type {
        case .double where bytes.count == 8:
            #expect(Double(bitPattern: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }).isNaN, "\(what)")
        case .float where bytes.count == 4:
            #expect(Float(bitPattern: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }).isNaN, "\(what)")
        default:
            Issue.record("\(what): NaN expected in a \(type) column of \(bytes.count) bytes")
        }
    }

    @Test(arguments: Expected.files)
    func roundTrip(_ expected: Expected.File) throws {
        let (_, metadata) = try Self.decode(expected)
        let encoded = metadata.encode()
        let again = try encoded.withUnsafeBytes { try FileMetaData.decode($0) }
        #expect(again == metadata)
        #expect(again.encode() == encoded)
    }

    /// Files whose footer parquet-cpp wrote are re-encoded byte for byte: same field order,
    /// same header forms, same bool element codes as the C++ Thrift library.
    @Test(arguments: Expected.files.filter { $0.createdBy?.hasPrefix("parquet-cpp") == true })
    func reencodingMatchesParquetCpp(_ expected: Expected.File) throws {
        let (footer, metadata) = try Self.decode(expected)
        #expect(metadata.encode() == footer)
    }

    /// A pyarrow file encrypted with a plaintext footer (AES_GCM_V1, column b under its own key,
    /// column a in the clear), checked against parquet-format's Encryption.md §5.3–5.5.
    @Test func encryptedFileWithPlaintextFooter() throws {
        let file = try TestData.bytes(of: TestData.fixture("footers/pyarrow_encrypted_plaintext_footer.parquet"))
        let footer = try TestData.footer(of: file)
        let (metadata, consumed) = try footer.withUnsafeBytes { buffer in
            var reader = ThriftCompactReader(buffer)
            return (try FileMetaData.decode(from: &reader), reader.offset)
        }
        // "The 28-byte footer signature is written after the plaintext footer."
        #expect(consumed == footer.count - 28)
        guard case .aesGcmV1(let parameters) = metadata.encryptionAlgorithm else {
            Issue.record("expected AES_GCM_V1, found \(String(describing: metadata.encryptionAlgorithm))")
            return
        }
        #expect(parameters.aadFileUnique?.isEmpty == false)
        #expect(parameters.aadPrefix == nil)
        #expect(metadata.footerSigningKeyMetadata?.isEmpty == false)
        #expect(metadata.numRows == 3)
        let group = try #require(metadata.rowGroups.first)
        #expect(group.ordinal == 0)
        try #require(group.columns.count == 2)
        let (a, b) = (group.columns[0], group.columns[1])
        #expect(a.cryptoMetadata == nil && a.encryptedColumnMetadata == nil)
        #expect(a.metaData?.statistics != nil)
        guard case .encryptionWithColumnKey(let key) = b.cryptoMetadata else {
            Issue.record("expected ENCRYPTION_WITH_COLUMN_KEY, found \(String(describing: b.cryptoMetadata))")
            return
        }
        #expect(key.pathInSchema == ["b"])
        #expect(key.keyMetadata?.isEmpty == false)
        #expect(b.encryptedColumnMetadata?.isEmpty == false)
        // "meta_data is set for all columns, but stripped of the statistics for encrypted columns"
        #expect(b.metaData?.pathInSchema == ["b"])
        #expect(b.metaData?.statistics == nil)
        #expect(try metadata.encode().withUnsafeBytes { try FileMetaData.decode($0) } == metadata)
    }
}
