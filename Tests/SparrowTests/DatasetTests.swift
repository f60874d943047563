import Columnar
import Foundation
import Parquet
import Query
import Testing
@testable import Execution
@testable import Sparrow

/// Reading directories of Parquet files in the Hive layout: discovery, Spark's partition type
/// inference, pruning while listing (checked on the scan's metrics), hidden files, schema merge.
/// Expected values come from the generator's own arithmetic, never from a Sparrow query.
struct DatasetTests {
    static let days = ["2024-01-01", "2024-01-02", "2024-01-03"]
    /// Directory names (escaped as Spark writes them) and the values they stand for.
    static let regions: [(directory: String, value: String?)] = [("EUROPE", "EUROPE"), ("A%2FB", "A/B"), ("__HIVE_DEFAULT_PARTITION__", nil)]
    static let rowsPerFile = 10

    /// `year=2024/day=…/region=…/part-0.parquet`, each file with k (the file's number × 10 + row)
    /// and v = k % 3; plus the metadata files Spark and Hadoop leave behind.
    static let dataset: String = {
        let root = NSTemporaryDirectory() + "sparrow-dataset-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        var fileNumber = 0
        for day in days {
            for region in regions {
                let directory = "\(root)/year=2024/day=\(day)/region=\(region.directory)"
                try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                writeFile(directory + "/part-0.parquet", firstKey: fileNumber * rowsPerFile)
                _ = FileManager.default.createFile(atPath: directory + "/.part-0.parquet.crc", contents: Data("junk".utf8))
                fileNumber += 1
            }
        }
        _ = FileManager.default.createFile(atPath: root + "/_SUCCESS", contents: Data())
        try! FileManager.default.createDirectory(atPath: root + "/_temporary/0", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/_temporary/0/garbage.parquet", contents: Data("not parquet".utf8))
        try! FileManager.default.createDirectory(atPath: root + "/.sparrow-staging-x", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/.sparrow-staging-x/part.parquet", contents: Data("not parquet".utf8))
        return root
    }()

    static func writeFile(_ path: String, firstKey: Int, extraColumn: Bool = false) {
        var fields = [Field("k", .int64, isNullable: false), Field("v", .int32)]
        if extraColumn { fields.append(Field("note", .string)) }
        let schema = Schema(fields)
        let writer = try! ParquetFileWriter(path: path, schema: schema, properties: WriterProperties(), threads: 1)
        let keys = (firstKey..<firstKey + rowsPerFile).map { Int64($0) }
        var columns = [Column(.int64, keys.map { Optional($0) }), Column(.int32, keys.map { Optional(Int32($0 % 3)) })]
        if extraColumn { columns.append(Column(strings: keys.map { "note \($0)" })) }
        try! writer.write(RecordBatch(schema: schema, columns: columns))
        try! writer.close()
    }

    func run(_ sql: String, path: String = DatasetTests.dataset, conf: [(String, String)] = []) throws -> (rows: [RecordBatch], scan: OperatorMetrics, schema: PlanSchema) {
        let session = Session(threads: 2)
        for (key, value) in conf { try session.setConf(key, value) }
        try session.read.parquet(path).createOrReplaceTempView("t")
        let execution = try session.sql(sql).queryExecution()
        let rows = try execution.collect()
        return (rows, try execution.parquetScanMetrics(), execution.schema)
    }

    func values(_ batches: [RecordBatch]) -> [[ScalarValue?]] {
        batches.flatMap { batch in
            (0..<batch.rowCount).map { row in batch.columns.map { ColumnScalar.value(of: $0, at: row) } }
        }
    }

    @Test func partitionColumnsFollowFileColumnsWithInferredTypes() throws {
        let (_, _, schema) = try run("SELECT * FROM t LIMIT 1")
        #expect(schema.columns.map(\.name) == ["k", "v", "year", "day", "region"])
        // Spark: year=2024 is an int, day a date, region (with a null) a string.
        #expect(schema.columns.map(\.type) == [.int64, .int32, .int32, .date32, .string])
    }

    @Test func everyRowOnceWithItsDirectoryValues() throws {
        let (rows, scan, _) = try run("SELECT region, day, count(*), sum(k), min(year) FROM t GROUP BY region, day ORDER BY region, day")
        var expected: [[ScalarValue?]] = []
        // ORDER BY region puts the null region first (Spark's default for ascending order).
        let order = Self.regions.enumerated().sorted { ($0.element.value ?? "") < ($1.element.value ?? "") }
        for (regionIndex, region) in order {
            for (dayIndex, day) in Self.days.enumerated() {
                let file = dayIndex * Self.regions.count + regionIndex
                let keys = (file * Self.rowsPerFile..<(file + 1) * Self.rowsPerFile)
                expected.append([region.value.map { .string($0) } ?? .null(.string), .date(Int32(19723 + dayIndex)),
                                 .int64(Int64(Self.rowsPerFile)), .int64(Int64(keys.reduce(0, +))), .int32(2024)])
                _ = day
            }
        }
        #expect(values(rows) == expected)
        #expect(scan.totalFiles == 9)
        #expect(scan.scannedFiles == 9)
    }

    @Test func aPredicateOnAPartitionColumnPrunesDirectoriesBeforeListingThem() throws {
        let (rows, scan, _) = try run("SELECT count(*), sum(v) FROM t WHERE day = DATE '2024-01-02' AND region = 'A/B'")
        // File 4 (day 2, region A/B): keys 40…49.
        #expect(values(rows) == [[.int64(10), .int64((40..<50).reduce(0) { $0 + Int64($1 % 3) })]])
        // root, year=2024, day=2024-01-02, region=A%2FB: the other day and region directories are never listed.
        #expect(scan.listedDirectories == 4)
        #expect(scan.totalFiles == 1)
        #expect(scan.scannedFiles == 1)
    }

    @Test func aNullPartitionIsMatchedByIsNull() throws {
        let (rows, scan, _) = try run("SELECT count(*) FROM t WHERE region IS NULL")
        #expect(values(rows) == [[.int64(30)]])
        // root, year, three days, one region each.
        #expect(scan.listedDirectories == 1 + 1 + 3 + 3)
        #expect(scan.totalFiles == 3)
    }

    @Test func withPruningOffEveryDirectoryIsListedAndTheAnswerIsTheSame() throws {
        let sql = "SELECT count(*), sum(k) FROM t WHERE day >= DATE '2024-01-02' AND region <> 'EUROPE'"
        let pruned = try run(sql)
        let full = try run(sql, conf: [("sparrow.sql.partitionPruning.enabled", "false")])
        // Days 2 and 3, region A/B only: `NULL <> 'EUROPE'` is not true. Files 4 and 7.
        let keys = [4, 7].flatMap { $0 * 10..<$0 * 10 + 10 }
        #expect(values(pruned.rows) == [[.int64(20), .int64(Int64(keys.reduce(0, +)))]])
        #expect(values(full.rows) == values(pruned.rows))
        #expect(full.scan.listedDirectories == 1 + 1 + 3 + 9)
        #expect(full.scan.scannedFiles == 9)
        #expect(pruned.scan.scannedFiles == 2)
    }

    @Test func typeInferenceOffReadsPartitionColumnsAsStrings() throws {
        let (rows, _, schema) = try run("SELECT year, day FROM t WHERE day = '2024-01-03' LIMIT 1",
                                        conf: [("spark.sql.sources.partitionColumnTypeInference.enabled", "false")])
        #expect(schema.columns.map(\.type) == [.string, .string])
        #expect(values(rows) == [[.string("2024"), .string("2024-01-03")]])
    }

    @Test func aUserSchemaGivesPartitionColumnTypes() throws {
        let session = Session(threads: 2)
        let frame = try session.read.schema("day STRING, year BIGINT").parquet(Self.dataset)
        let rows = try frame.filter("day = '2024-01-02' AND region = 'EUROPE'").select([.col("year"), .col("day")]).collect()
        #expect(values(rows) == [[ScalarValue?]](repeating: [.int64(2024), .string("2024-01-02")], count: Self.rowsPerFile))
        #expect {
            _ = try session.read.schema("k STRING").parquet(Self.dataset)
        } throws: { "\($0)".contains("'k' is BIGINT in the files") }
        #expect { _ = try session.read.schema("nope INT").parquet(Self.dataset) } throws: { "\($0)".contains("nope") }
    }

    @Test func filesWithoutAColumnReadItAsNull() throws {
        let root = NSTemporaryDirectory() + "sparrow-merge-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (part, extra) in [("a", false), ("b", true)] {
            try FileManager.default.createDirectory(atPath: "\(root)/part=\(part)", withIntermediateDirectories: true)
            Self.writeFile("\(root)/part=\(part)/data.parquet", firstKey: extra ? 100 : 0, extraColumn: extra)
        }
        // The first file's columns by default (as Spark without mergeSchema) ...
        let plain = try run("SELECT * FROM t", path: root)
        #expect(plain.schema.columns.map(\.name) == ["k", "v", "part"])
        // ... all files' columns with mergeSchema; rows of files without `note` read it as null.
        let merged = try run("SELECT part, count(*), count(note), min(note) FROM t GROUP BY part ORDER BY part", path: root,
                             conf: [("spark.sql.parquet.mergeSchema", "true")])
        #expect(values(merged.rows) == [[.string("a"), .int64(10), .int64(0), .null(.string)],
                                        [.string("b"), .int64(10), .int64(10), .string("note 100")]])
    }

    @Test func aColumnWithDifferentTypesInTwoFilesIsAnErrorNamingTheFile() throws {
        let root = NSTemporaryDirectory() + "sparrow-conflict-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        Self.writeFile(root + "/1.parquet", firstKey: 0)
        let schema = Schema([Field("k", .string)])
        let writer = try ParquetFileWriter(path: root + "/2.parquet", schema: schema, properties: WriterProperties(), threads: 1)
        try writer.write(RecordBatch(schema: schema, columns: [Column(strings: ["x"])]))
        try writer.close()
        #expect {
            _ = try run("SELECT count(*) FROM t", path: root, conf: [("spark.sql.parquet.mergeSchema", "true")])
        } throws: { "\($0)".contains("2.parquet") && "\($0)".contains("'k'") }
        // Without mergeSchema the conflict shows when the second file is read.
        #expect {
            _ = try run("SELECT sum(k) FROM t", path: root)
        } throws: { "\($0)".contains("2.parquet") && "\($0)".contains("'k'") }
    }

    @Test func aValueThatDoesNotFitTheInferredTypeIsAClearError() throws {
        let root = NSTemporaryDirectory() + "sparrow-badvalue-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        // `n` is inferred from the first `g` directory's values (1, 2) as an int; g=b holds n=x.
        for (g, n) in [("a", "1"), ("a", "2"), ("b", "x")] {
            try FileManager.default.createDirectory(atPath: "\(root)/g=\(g)/n=\(n)", withIntermediateDirectories: true)
            Self.writeFile("\(root)/g=\(g)/n=\(n)/f.parquet", firstKey: 0)
        }
        #expect {
            _ = try run("SELECT count(*) FROM t", path: root)
        } throws: { "\($0)".contains("n=x") && "\($0)".contains("partitionColumnTypeInference") }
        let strings = try run("SELECT count(*) FROM t WHERE n = 'x'", path: root,
                              conf: [("spark.sql.sources.partitionColumnTypeInference.enabled", "false")])
        #expect(values(strings.rows) == [[.int64(10)]])
    }

    @Test func filesBesidePartitionDirectoriesAreAnError() throws {
        let root = NSTemporaryDirectory() + "sparrow-mixed-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/p=1", withIntermediateDirectories: true)
        Self.writeFile(root + "/p=1/f.parquet", firstKey: 0)
        Self.writeFile(root + "/stray.parquet", firstKey: 0)
        #expect { _ = try run("SELECT count(*) FROM t", path: root) } throws: { "\($0)".contains("stray.parquet") }
    }

    @Test func anEmptyDirectoryIsAnError() throws {
        let root = NSTemporaryDirectory() + "sparrow-empty-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/_temporary", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/_SUCCESS", contents: Data())
        #expect { _ = try run("SELECT count(*) FROM t", path: root) } throws: { "\($0)".contains("no Parquet files") }
    }

    @Test(arguments: [
        ("1", DataType.int32), ("-2147483648", .int32), ("2147483648", .int64), ("99999999999999999999", .decimal(precision: 38, scale: 0)),
        ("1.5", .float64), ("1e3", .float64), ("NaN", .float64), ("2024-01-31", .date32),
        ("2024-01-31 12:00:00", PartitionTypeInference.timestampType), ("2024-01-31 12:00:00.5", PartitionTypeInference.timestampType),
        ("EUROPE", .string), ("2024-13-01", .string), ("inf", .string), ("1.5.5", .string), ("", .string),
    ])
    func sparkInfersOneValue(raw: String, expected: DataType) {
        #expect(PartitionTypeInference.type(of: raw) == expected)
    }

    @Test func sparkWidensAColumnsValues() {
        #expect(PartitionTypeInference.type(ofValues: ["1", "2147483648"]) == .int64)
        #expect(PartitionTypeInference.type(ofValues: ["1", "1.5"]) == .float64)
        #expect(PartitionTypeInference.type(ofValues: ["1", nil]) == .int32)
        #expect(PartitionTypeInference.type(ofValues: ["2024-01-01", "2024-01-01 10:00:00"]) == PartitionTypeInference.timestampType)
        #expect(PartitionTypeInference.type(ofValues: ["2024-01-01", "7"]) == .string)
        #expect(PartitionTypeInference.type(ofValues: [nil, nil]) == .string)
    }
}
