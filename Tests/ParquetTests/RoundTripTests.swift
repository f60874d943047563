#if canImport(Glibc)
import Glibc
#endif
import Columnar
import Testing
@testable import Parquet

/// Sparrow writes a batch covering every type (with nulls, several pages and row groups) and reads
/// it back unchanged, for every codec, page format and dictionary setting. Peer engines check the
/// same files in tools/interop; here the writer and reader are checked against each other.
@Suite struct RoundTripTests {
    /// A batch of `rows` rows over every leaf type and a few nested ones; every seventh value null.
    static func sampleBatch(rows: Int, seed: UInt64 = 1) -> RecordBatch {
        var random = SeededGenerator(seed: seed)
        func maybe<T>(_ i: Int, _ value: T) -> T? { i % 7 == 3 ? nil : value }
        func ints<T: FixedWidthInteger>(_: T.Type) -> [T?] {
            (0..<rows).map { i in maybe(i, i % 5 == 0 ? (i % 2 == 0 ? T.min : T.max) : T.random(in: T.min...T.max, using: &random)) }
        }
        let floats: [Float?] = (0..<rows).map { i in
            maybe(i, [Float.nan, -0.0, 0.0, .infinity, -.infinity, 1.5][i % 6] * (i % 11 == 0 ? 1 : Float(i)))
        }
        let doubles: [Double?] = (0..<rows).map { i in maybe(i, i % 9 == 0 ? .nan : Double(i) * 0.1 - 30) }
        let words = ["", "a", "ü", "日本語", "grüße", String(repeating: "x", count: 100)]
        let strings: [String?] = (0..<rows).map { i in maybe(i, words[i % words.count] + String(i % 13)) }
        let decimalSmall: [Int128?] = (0..<rows).map { i in maybe(i, Int128(i * 37 % 99999) - 50000) }
        let decimalLarge: [Int128?] = (0..<rows).map { i in
            maybe(i, (Int128(i) * 1_000_000_007 * 1_000_000_009) * (i % 2 == 0 ? 1 : -1))
        }
        var fields: [Field] = []
        var columns: [Column] = []
        func add(_ name: String, _ column: Column, nullable: Bool = true) {
            fields.append(Field(name, column.type, isNullable: nullable))
            columns.append(column)
        }
        add("bool", Column(booleans: (0..<rows).map { maybe($0, $0 % 3 == 0) }))
        add("i8", Column(.int8, ints(Int8.self)))
        add("i16", Column(.int16, ints(Int16.self)))
        add("i32", Column(.int32, ints(Int32.self)))
        add("i64", Column(.int64, ints(Int64.self)))
        add("u8", Column(.uint8, ints(UInt8.self)))
        add("u16", Column(.uint16, ints(UInt16.self)))
        add("u32", Column(.uint32, ints(UInt32.self)))
        add("u64", Column(.uint64, ints(UInt64.self)))
        add("required_i64", Column(.int64, (0..<rows).map { Int64($0 % 50) as Int64? }), nullable: false)
        add("f16", Column(.float16, (0..<rows).map { i in maybe(i, UInt16(truncatingIfNeeded: i * 131) & 0x7BFF) }))
        add("f32", Column(.float32, floats))
        add("f64", Column(.float64, doubles))
        add("dec_5_2", Column(.decimal(precision: 5, scale: 2), decimalSmall))
        add("dec_15_3", Column(.decimal(precision: 15, scale: 3), decimalSmall.map { $0.map { $0 * 1_000_000 } }))
        add("dec_38_4", Column(.decimal(precision: 38, scale: 4), decimalLarge))
        add("date", Column(.date32, (0..<rows).map { maybe($0, Int32($0 * 97) - 20000) }))
        add("time_ms", Column(.time(.milliseconds, isAdjustedToUTC: true), (0..<rows).map { maybe($0, Int32($0 * 1000 % 86_400_000)) }))
        add("time_us", Column(.time(.microseconds, isAdjustedToUTC: false), (0..<rows).map { maybe($0, Int64($0) * 999_999 % 86_400_000_000) }))
        add("ts_ms_utc", Column(.timestamp(.milliseconds, isAdjustedToUTC: true), (0..<rows).map { maybe($0, Int64($0) * 86_400_123 - 1_000_000_000) }))
        add("ts_us", Column(.timestamp(.microseconds, isAdjustedToUTC: false), (0..<rows).map { maybe($0, Int64($0) * 1_234_567_891) }))
        add("ts_ns_utc", Column(.timestamp(.nanoseconds, isAdjustedToUTC: true), (0..<rows).map { maybe($0, Int64($0) * 987_654_321_987) }))
        add("string", Column(strings: strings))
        add("json", Column(.json, bytes: strings.map { $0.map { Array("{\"k\":\"\($0)\"}".utf8) } }))
        add("enum", Column(.enumeration, bytes: (0..<rows).map { maybe($0, Array(["RED", "GREEN", "BLUE"][$0 % 3].utf8)) }))
        add("binary", Column(.binary, bytes: (0..<rows).map { i in maybe(i, (0..<(i % 5)).map { UInt8(truncatingIfNeeded: $0 * i) }) }))
        add("fixed3", Column(.fixedSizeBinary(3), (0..<rows).map { i in maybe(i, (UInt8(i % 256), UInt8(i % 7), UInt8(255))) }))
        add("uuid", Column(.uuid, (0..<rows).map { i in maybe(i, UInt128(i) * 0x1234_5678_9ABC_DEF0_1122_3344) }))
        add("dictionary_string", Column(dictionary: Column(strings: ["alpha", "beta", "γάμμα"]),
                                        indices: (0..<rows).map { maybe($0, Int32($0 % 3)) }))
        let listLengths: [Int?] = (0..<rows).map { i in i % 5 == 1 ? nil : i % 4 }
        let listValues = Column(.int32, (0..<listLengths.reduce(0) { $0 + ($1 ?? 0) }).map { $0 % 6 == 0 ? nil : Int32($0) })
        add("list_i32", Column(list: Field("element", .int32), values: listValues, lengths: listLengths))
        let structColumn = Column(
            structure: [Field("a", .int32), Field("b", .string)],
            children: [Column(.int32, (0..<rows).map { maybe($0 + 1, Int32($0)) }), Column(strings: strings)],
            present: (0..<rows).map { $0 % 6 != 2 })
        add("struct", structColumn)
        let mapLengths: [Int?] = (0..<rows).map { i in i % 8 == 5 ? nil : i % 3 }
        let entries = mapLengths.reduce(0) { $0 + ($1 ?? 0) }
        add("map", Column(map: Field("key", .string, isNullable: false), value: Field("value", .int64),
                          keys: Column(strings: (0..<entries).map { "k\($0 % 4)" }),
                          values: Column(.int64, (0..<entries).map { $0 % 5 == 0 ? nil : Int64($0) }),
                          lengths: mapLengths))
        return RecordBatch(schema: Schema(fields), columns: columns)
    }

    static func render(_ batches: [RecordBatch]) -> String {
        var formatter = JSONLinesFormatter()
        var output = BufferBuilder(capacity: 4096)
        formatter.begin(schema: batches[0].schema, to: &output)
        for batch in batches { formatter.write(batch, to: &output) }
        formatter.finish(to: &output)
        return output.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    static func roundTrip(_ batches: [RecordBatch], _ properties: WriterProperties) throws -> (String, ParquetFileReader) {
        let path = TestData.temporaryPath("roundtrip.parquet")
        let writer = try ParquetFileWriter(path: path, schema: batches[0].schema, properties: properties)
        for batch in batches { try writer.write(batch) }
        try writer.close()
        defer { unlink(path) }
        let reader = try ParquetFileReader(path: path)
        return (try jsonLines(of: reader), reader)
    }

    static let codecs: [CompressionCodec] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw, .lz4, .brotli]

    @Test(arguments: codecs, [false, true])
    func everyTypeSurvives(codec: CompressionCodec, dataPageV2: Bool) throws {
        var properties = WriterProperties()
        properties.compression = codec
        properties.dataPageV2 = dataPageV2
        properties.dataPageSize = 2000
        properties.rowGroupRows = 700
        let batches = [Self.sampleBatch(rows: 1000, seed: 1), Self.sampleBatch(rows: 601, seed: 2)]
        let (text, reader) = try Self.roundTrip(batches, properties)
        #expect(text == Self.render(batches))
        #expect(reader.rowGroupCount == 3)
        #expect(reader.metadata.createdBy?.hasPrefix("Sparrow version") == true)
        for group in reader.metadata.rowGroups {
            for chunk in group.columns { #expect(chunk.metaData?.codec == codec) }
        }
    }

    /// Pages whose definition levels are one run (all NULL, none NULL) next to mixed ones, in
    /// batches that cross the pages: the values present are counted from the run, not the levels.
    @Test(arguments: [false, true])
    func pagesOfOnlyNullsOrNoNulls(dataPageV2: Bool) throws {
        var properties = WriterProperties()
        properties.dataPageV2 = dataPageV2
        properties.dataPageRowLimit = 1_000
        let rows = 5_000
        // Pages of 1,000 rows: all NULL, none NULL, every third NULL, none NULL, all NULL.
        let values: [Int64?] = (0..<rows).map { (row: Int) -> Int64? in
            switch row / 1_000 {
            case 0, 4: nil
            case 2: row % 3 == 0 ? nil : Int64(row)
            default: Int64(row) * 7
            }
        }
        let batch = RecordBatch(schema: Schema([Field("v", .int64)]), columns: [Column(.int64, values)], rowCount: rows)
        let (text, reader) = try Self.roundTrip([batch], properties)
        #expect(text == Self.render([batch]))
        #expect(reader.metadata.rowGroups[0].columns[0].metaData?.numValues == Int64(rows))
        var options = ReadOptions()
        options.batchSize = 700
        let path = TestData.temporaryPath("nullpages.parquet")
        defer { unlink(path) }
        let writer = try ParquetFileWriter(path: path, schema: batch.schema, properties: properties)
        try writer.write(batch)
        try writer.close()
        #expect(try jsonLines(of: ParquetFileReader(path: path, options: options)) == Self.render([batch]))
    }

    @Test(arguments: [0, 1, 2, 8, 100])
    func sizes(rows: Int) throws {
        let batch = Self.sampleBatch(rows: rows)
        let (text, reader) = try Self.roundTrip([batch], WriterProperties())
        #expect(text == (rows == 0 ? "" : Self.render([batch])))
        #expect(reader.rowCount == rows)
    }

    @Test(arguments: [false, true])
    func pageChecksumsVerify(dataPageV2: Bool) throws {
        var properties = WriterProperties()
        properties.pageChecksums = true
        properties.dataPageV2 = dataPageV2
        properties.dataPageSize = 1000
        let batch = Self.sampleBatch(rows: 500)
        let path = TestData.temporaryPath("checksums.parquet")
        defer { unlink(path) }
        let writer = try ParquetFileWriter(path: path, schema: batch.schema, properties: properties)
        try writer.write(batch)
        try writer.close()
        var options = ReadOptions()
        options.verifyChecksums = true
        #expect(try jsonLines(of: ParquetFileReader(path: path, options: options)) == Self.render([batch]))
    }

    @Test func plainWithoutDictionary() throws {
        var properties = WriterProperties()
        properties.dictionaryEnabled = false
        let batch = Self.sampleBatch(rows: 300)
        let (text, reader) = try Self.roundTrip([batch], properties)
        #expect(text == Self.render([batch]))
        for chunk in reader.metadata.rowGroups[0].columns {
            #expect(!(chunk.metaData!.encodings.contains(.rleDictionary)))
        }
    }

    @Test func dictionaryFallsBackToPlainWhenItOutgrowsItsLimit() throws {
        var properties = WriterProperties()
        properties.dictionaryPageSizeLimit = 4096
        let values = (0..<20_000).map { "value-\($0)" as String? }
        let batch = RecordBatch(schema: Schema([Field("s", .string)]), columns: [Column(strings: values)])
        let (text, reader) = try Self.roundTrip([batch], properties)
        #expect(text == Self.render([batch]))
        let meta = reader.metadata.rowGroups[0].columns[0].metaData!
        #expect(meta.encodings.contains(.rleDictionary))
        #expect(meta.encodings.contains(.plain))
        #expect(meta.dictionaryPageOffset != nil)
    }

    @Test func dictionaryEncodedInputFallsBackToo() throws {
        // A dictionary-encoded column (as the reader hands string columns over) with more distinct
        // values than the output dictionary may hold.
        var properties = WriterProperties()
        properties.dictionaryPageSizeLimit = 2048
        let dictionary = Column(strings: (0..<5000).map { "word-\($0)" })
        let indices: [Int32?] = (0..<12_000).map { (i: Int) -> Int32? in i % 9 == 4 ? nil : Int32(i * 7 % 5000) }
        let column = Column(dictionary: dictionary, indices: indices)
        let batches = (0..<3).map { _ in RecordBatch(schema: Schema([Field("s", .string)]), columns: [column]) }
        let (text, reader) = try Self.roundTrip(batches, properties)
        #expect(text == Self.render(batches))
        let meta = reader.metadata.rowGroups[0].columns[0].metaData!
        #expect(meta.encodings.contains(.rleDictionary))
        #expect(meta.encodings.contains(.plain))
        let nulls = indices.filter { $0 == nil }.count
        #expect(meta.statistics?.nullCount == Int64(3 * nulls))
        #expect(meta.statistics?.minValue == Array("word-0".utf8))
        #expect(meta.statistics?.maxValue == Array("word-999".utf8))
    }

    @Test func statisticsFollowTheSortOrders() throws {
        let batch = RecordBatch(
            schema: Schema([Field("u32", .uint32), Field("f64", .float64), Field("s", .string), Field("zero", .float32)]),
            columns: [
                Column(.uint32, [1, 4_000_000_000, nil, 7] as [UInt32?]),
                Column(.float64, [Double.nan, -2.5, nil, 3.25]),
                Column(strings: ["b", "a", nil, "ab"]),
                Column(.float32, [0.0, 0.0, nil, 0.0] as [Float?]),
            ])
        let (_, reader) = try Self.roundTrip([batch], WriterProperties())
        let chunks = reader.metadata.rowGroups[0].columns.map { $0.metaData!.statistics! }
        // Unsigned order: 4e9 is the max, not a negative Int32 (parquet.thrift, UINT_32 sort order).
        #expect(chunks[0].minValue == Array(withUnsafeBytes(of: UInt32(1).littleEndian) { Array($0) }))
        #expect(chunks[0].maxValue == Array(withUnsafeBytes(of: UInt32(4_000_000_000).littleEndian) { Array($0) }))
        #expect(chunks[0].nullCount == 1)
        // NaN is never a bound.
        #expect(chunks[1].minValue == withUnsafeBytes(of: (-2.5).bitPattern.littleEndian) { Array($0) })
        #expect(chunks[1].maxValue == withUnsafeBytes(of: (3.25).bitPattern.littleEndian) { Array($0) })
        // Byte-wise order.
        #expect(chunks[2].minValue == Array("a".utf8))
        #expect(chunks[2].maxValue == Array("b".utf8))
        // Zero bounds: min is -0.0, max is +0.0.
        #expect(chunks[3].minValue == withUnsafeBytes(of: Float(-0.0).bitPattern.littleEndian) { Array($0) })
        #expect(chunks[3].maxValue == withUnsafeBytes(of: Float(0.0).bitPattern.littleEndian) { Array($0) })
    }

    @Test func longStringBoundsAreTruncatedAndMarkedInexact() throws {
        let long = String(repeating: "é", count: 100)
        let batch = RecordBatch(schema: Schema([Field("s", .string)]),
                                columns: [Column(strings: [long, "a" + long])])
        let (_, reader) = try Self.roundTrip([batch], WriterProperties())
        let stats = reader.metadata.rowGroups[0].columns[0].metaData!.statistics!
        #expect(stats.isMinValueExact == false)
        #expect(stats.isMaxValueExact == false)
        #expect(stats.minValue!.count <= 64)
        #expect(stats.maxValue!.count <= 64)
        // Still valid UTF-8, and still bounds.
        #expect(String(validating: stats.minValue!, as: UTF8.self) != nil)
        #expect(String(validating: stats.maxValue!, as: UTF8.self) != nil)
        #expect(stats.minValue!.lexicographicallyPrecedes(Array(("a" + long).utf8)))
        #expect(Array(long.utf8).lexicographicallyPrecedes(stats.maxValue!))
    }

    @Test func failedWriteLeavesNothingBehind() throws {
        let path = TestData.temporaryPath("abandoned.parquet")
        do {
            let writer = try ParquetFileWriter(path: path, schema: Schema([Field("x", .int32, isNullable: false)]))
            try writer.write(RecordBatch(schema: Schema([Field("x", .int32)]), columns: [Column(.int32, [1, nil] as [Int32?])]))
            Issue.record("a null in a required column must be refused")
        } catch {
            #expect(String(describing: error).contains("not nullable"))
        }
        #expect(access(path, F_OK) != 0)
        let directory = opendir("/tmp")!
        defer { closedir(directory) }
        let base = String(path.split(separator: "/").last!)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            #expect(!name.contains(base), "temporary file \(name) left behind")
        }
    }
}
