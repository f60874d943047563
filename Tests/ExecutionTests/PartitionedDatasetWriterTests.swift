import Columnar
import Foundation
import Parquet
import Query
import Synchronization
import Testing
@testable import Execution

/// The Hive-layout writer. Expected layouts follow Spark's rules (directory per partition value
/// in partitionBy order, partition columns left out of the files, `__HIVE_DEFAULT_PARTITION__`
/// for null and "", SaveMode semantics, dynamic partition overwrite replacing only the
/// partitions written); the values read back are the rows written. tools/fixtures/
/// tools/interop/check_partitioned_values.py (run by run_all) reads such output with pyarrow and DuckDB.
@Suite(.serialized) struct PartitionedDatasetWriterTests {
    static let schema = Schema([Field("id", .int64), Field("day", .date32), Field("region", .string), Field("note", .string)])

    /// 2024-01-01 and 2024-01-02 as days since 1970-01-01.
    static let jan1: Int32 = 19723
    static let jan2: Int32 = 19724

    static func batch(_ rows: [(Int64, Int32?, String?, String?)]) -> RecordBatch {
        RecordBatch(schema: schema, columns: [
            Column(.int64, rows.map { $0.0 as Int64? }), Column(.date32, rows.map(\.1)),
            Column(strings: rows.map(\.2)), Column(strings: rows.map(\.3)),
        ])
    }

    static let sample = batch([
        (1, jan1, "EU", "a"), (2, jan1, "US", "b"), (3, jan2, "EU", "c"), (4, jan1, "EU", "d"), (5, nil, "a/b", "e"),
        (6, jan2, nil, "f"), (7, jan2, "", "g"),
    ])

    /// A fresh path in the temporary directory (not created).
    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "sparrow-dataset-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }

    static func options(_ partitionColumns: [String], mode: DatasetWriteMode = .errorIfExists,
                        configure: (inout PartitionedWriteOptions) -> Void = { _ in }) -> PartitionedWriteOptions {
        var options = PartitionedWriteOptions()
        options.partitionColumns = partitionColumns
        options.mode = mode
        options.threads = 2
        configure(&options)
        return options
    }

    @discardableResult
    static func write(_ batches: [RecordBatch], to target: String, _ options: PartitionedWriteOptions) throws -> PartitionedWriteReport {
        let writer = try PartitionedDatasetWriter(target: target, schema: batches.first?.schema ?? schema, options: options)
        for batch in batches { try writer.write(batch) }
        return try writer.finish()
    }

    /// Every regular file under `directory`, relative, with its bytes.
    static func snapshot(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let paths = FileManager.default.subpaths(atPath: directory) else { return files }
        for path in paths {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files[path] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path)) }
        }
        return files
    }

    /// The data files under `directory`, relative (no `_SUCCESS`).
    static func dataFiles(_ directory: String) throws -> [String] {
        try snapshot(directory).keys.filter { $0.hasSuffix(".parquet") }.sorted()
    }

    /// Every row of every data file as `partition directory|id|note`, sorted; checks that each
    /// file holds exactly the columns `fileColumns`.
    static func rows(_ directory: String, fileColumns: [String] = ["id", "note"]) throws -> [String] {
        var rows: [String] = []
        for path in try dataFiles(directory) {
            let reader = try ParquetFileReader(path: directory + "/" + path)
            #expect(reader.schema.schema.fields.map(\.name) == fileColumns, "\(path)")
            let partition = path.split(separator: "/").dropLast().joined(separator: "/")
            let batches = try reader.batches()
            while let batch = try batches.next() {
                let id = batch.column(named: "id")!, note = batch.column(named: "note")
                for row in 0..<batch.rowCount {
                    let text = note.map { $0.isNull(row) ? "null" : $0.stringValue(at: row) } ?? "-"
                    rows.append("\(partition)|\(id.fixedWidthValue(at: row, as: Int64.self))|\(text)")
                }
            }
        }
        return rows.sorted()
    }

    /// Leftover staging or replaced directories next to or inside `target`.
    static func leftovers(_ target: String) throws -> [String] {
        let parent = (target as NSString).deletingLastPathComponent
        let inside = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        let beside = try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.contains((target as NSString).lastPathComponent) && $0.hasPrefix(".") }
        return inside.filter { $0.hasPrefix(".") } + beside
    }

    // MARK: Layout

    @Test func writesTheHiveLayoutWithoutThePartitionColumns() throws {
        let target = Self.temporaryPath("layout")
        defer { try? FileManager.default.removeItem(atPath: target) }
        let report = try Self.write([Self.sample], to: target, Self.options(["day", "region"]))
        #expect(try Self.rows(target) == [
            "day=2024-01-01/region=EU|1|a", "day=2024-01-01/region=EU|4|d", "day=2024-01-01/region=US|2|b",
            "day=2024-01-02/region=EU|3|c", "day=2024-01-02/region=__HIVE_DEFAULT_PARTITION__|6|f",
            "day=2024-01-02/region=__HIVE_DEFAULT_PARTITION__|7|g", "day=__HIVE_DEFAULT_PARTITION__/region=a%2Fb|5|e",
        ])
        // NULL and "" share the default partition: five directories, one file each.
        #expect(report.partitions == 5)
        #expect(report.files.count == 5)
        #expect(report.rows == 7)
        #expect(report.bytes == report.files.reduce(0) { $0 + Int((try? FileManager.default.attributesOfItem(atPath: target + "/" + $1.relativePath)[.size] as? Int) ?? -1) })
        #expect(try Self.snapshot(target)["_SUCCESS"] == Data())
        // part-NNNNN-<one uuid for the job>.c000.zstd.parquet, part numbers distinct.
        let names = try Self.dataFiles(target).map { String($0.split(separator: "/").last!) }
        let pattern = /part-(\d{5})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.c000\.zstd\.parquet/
        let matches = try names.map { try #require(try pattern.wholeMatch(in: $0), "\($0)") }
        #expect(Set(matches.map { String($0.output.2) }).count == 1)
        #expect(Set(matches.map { String($0.output.1) }).count == names.count)
        #expect(try Self.leftovers(target).isEmpty)
    }

    @Test(arguments: [(CompressionCodec.snappy, ".snappy.parquet"), (.gzip, ".gz.parquet"), (.brotli, ".br.parquet"),
                      (.lz4Raw, ".lz4raw.parquet"), (.uncompressed, ".c000.parquet")])
    func namesFilesWithParquetMrCodecExtensions(codec: CompressionCodec, suffix: String) throws {
        let target = Self.temporaryPath("codec")
        defer { try? FileManager.default.removeItem(atPath: target) }
        try Self.write([Self.sample], to: target, Self.options(["region"]) { $0.properties.compression = codec })
        let files = try Self.dataFiles(target)
        #expect(!files.isEmpty && files.allSatisfy { $0.hasSuffix(suffix) }, "\(files)")
        #expect(try Self.rows(target, fileColumns: ["id", "day", "note"]).count == 7)
    }

    /// Spark's CAST(… AS STRING) text: `spark.sql("select cast(timestamp'2021-03-04 05:06:07.5' as string)")`
    /// gives `2021-03-04 05:06:07.5`; doubles as Java prints them; decimals plain (ANSI mode).
    @Test func writesPartitionValuesAsSparkText() throws {
        let target = Self.temporaryPath("values")
        defer { try? FileManager.default.removeItem(atPath: target) }
        let schema = Schema([Field("i", .int32), Field("b", .boolean), Field("d", .decimal(precision: 10, scale: 7)),
                             Field("t", .timestamp(.microseconds, isAdjustedToUTC: false)), Field("f", .float64), Field("x", .int64)])
        // 2021-03-04 05:06:07 = 1614834367 s since the epoch.
        let seconds: Int64 = 1_614_834_367
        let batch = RecordBatch(schema: schema, columns: [
            Column(.int32, [-5, 7] as [Int32?]), Column(booleans: [true, false]),
            Column(.decimal(precision: 10, scale: 7), [Int128(1), Int128(-123_000_000)] as [Int128?]),
            Column(.timestamp(.microseconds, isAdjustedToUTC: false), [seconds * 1_000_000 + 500_000, seconds * 1_000_000] as [Int64?]),
            Column(.float64, [1.5, 1e20] as [Double?]), Column(.int64, [1, 2] as [Int64?]),
        ])
        try Self.write([batch], to: target, Self.options(["i", "b", "d", "t", "f"]))
        #expect(try Self.dataFiles(target).map { $0.split(separator: "/").dropLast().joined(separator: "/") } == [
            "i=-5/b=true/d=0.0000001/t=2021-03-04 05%3A06%3A07.5/f=1.5",
            "i=7/b=false/d=-12.3000000/t=2021-03-04 05%3A06%3A07/f=1.0E20",
        ])
    }

    @Test func splitsFilesAtMaxRowsPerFile() throws {
        let target = Self.temporaryPath("split")
        defer { try? FileManager.default.removeItem(atPath: target) }
        let rows = (1...10).map { (Int64($0), Self.jan1 as Int32?, "EU" as String?, "n\($0)" as String?) }
        let report = try Self.write([Self.batch(rows)], to: target, Self.options(["region"]) { $0.maxRowsPerFile = 4 })
        #expect(report.files.map(\.rows).sorted() == [2, 4, 4])
        let names = try Self.dataFiles(target)
        #expect(names.map { $0.hasSuffix(".c000.zstd.parquet") || $0.hasSuffix(".c001.zstd.parquet") || $0.hasSuffix(".c002.zstd.parquet") } == [true, true, true])
        #expect(try Self.rows(target, fileColumns: ["id", "day", "note"]).count == 10)
    }

    @Test func flushesWhenTheBufferFillsAndKeepsEveryRow() throws {
        let target = Self.temporaryPath("flush")
        defer { try? FileManager.default.removeItem(atPath: target) }
        let batches = (0..<6).map { b in
            Self.batch((0..<50).map { i in
                let id = Int64(b * 50 + i)
                return (id, Self.jan1 + Int32(id % 7), ["EU", "US", "ASIA"][Int(id % 3)] as String?, "n\(id)" as String?)
            })
        }
        // A buffer of one byte writes every batch out on its own: a partition gets a file per batch.
        let report = try Self.write(batches, to: target, Self.options(["day", "region"]) { $0.bufferBytes = 1 })
        #expect(report.partitions == 21)
        #expect(report.files.count == 6 * 21)
        #expect(Set(report.files.map(\.relativePath)).count == report.files.count)
        let rows = try Self.rows(target)
        #expect(rows.count == 300)
        #expect(Set(rows.map { Int($0.split(separator: "|")[1])! }) == Set(0..<300))
        // Every row in its own partition's directory.
        for row in rows {
            let parts = row.split(separator: "|")
            let id = Int32(parts[1])!
            let day = Self.jan1 + id % 7
            #expect(parts[0] == "day=2024-01-0\(day - Self.jan1 + 1)/region=\(["EU", "US", "ASIA"][Int(id % 3)])")
        }
    }

    @Test func writesFilesDirectlyIntoTheTargetWithoutPartitionColumns() throws {
        let target = Self.temporaryPath("flat")
        defer { try? FileManager.default.removeItem(atPath: target) }
        let report = try Self.write([Self.sample, Self.sample], to: target, Self.options([]) { $0.maxRowsPerFile = 5 })
        #expect(report.files.map(\.rows) == [5, 5, 4])
        #expect(report.partitions == 0)
        #expect(try Self.dataFiles(target).allSatisfy { !$0.contains("/") })
        #expect(try Self.rows(target, fileColumns: ["id", "day", "region", "note"]).count == 14)
    }

    /// Spark writes one file even for no rows, so that the schema can be read back.
    @Test func writesOneEmptyFileForNoRowsWithoutPartitionColumns() throws {
        let target = Self.temporaryPath("empty")
        defer { try? FileManager.default.removeItem(atPath: target) }
        let report = try Self.write([], to: target, Self.options([]))
        #expect(report.files.count == 1 && report.rows == 0)
        let reader = try ParquetFileReader(path: target + "/" + report.files[0].relativePath)
        #expect(reader.schema.schema.fields.map(\.name) == ["id", "day", "region", "note"])
        #expect(reader.rowCount == 0)
    }

    /// Missing parents are created, as Hadoop's mkdirs does, and removed again when the write fails.
    @Test func createsMissingParentsAndRemovesThemOnFailure() throws {
        let root = Self.temporaryPath("parents")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let failing = try PartitionedDatasetWriter(target: root + "/a/b/out", schema: Self.schema, options: Self.options(["region"]))
        #expect(FileManager.default.fileExists(atPath: root + "/a/b"))
        failing.abort()
        #expect(!FileManager.default.fileExists(atPath: root))
        try Self.write([Self.sample], to: root + "/a/b/out", Self.options(["region"]))
        #expect(try Self.rows(root + "/a/b/out", fileColumns: ["id", "day", "note"]).count == 7)
    }

    @Test func reportsProgressPerFile() throws {
        let target = Self.temporaryPath("progress")
        defer { try? FileManager.default.removeItem(atPath: target) }
        let calls = Mutex<[String]>([])
        let report = try Self.write([Self.sample, Self.sample], to: target, Self.options(["region"]) { options in
            options.bufferBytes = 1
            options.threads = 1
            options.progress = { written, planned in calls.withLock { $0.append("\(written)/\(planned)") } }
        })
        #expect(report.files.count == 8)
        #expect(calls.withLock { $0 } == ["1/4", "2/4", "3/4", "4/4", "5/8", "6/8", "7/8", "8/8"])
    }

    // MARK: Modes

    @Test func errorIfExistsRefusesAnExistingTargetEvenEmpty() throws {
        let target = Self.temporaryPath("exists")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: target) }
        #expect(throws: ExecutionError.self) { try Self.write([Self.sample], to: target, Self.options(["region"])) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
        #expect(try Self.leftovers(target).isEmpty)
    }

    @Test func overwriteReplacesTheWholeTarget() throws {
        let target = Self.temporaryPath("overwrite")
        defer { try? FileManager.default.removeItem(atPath: target) }
        try Self.write([Self.batch([(100, Self.jan1, "ASIA", "old")])], to: target, Self.options(["region"]))
        try "stray".write(toFile: target + "/stray.txt", atomically: false, encoding: .utf8)
        try Self.write([Self.batch([(1, Self.jan1, "EU", "new")])], to: target, Self.options(["region"], mode: .overwrite))
        #expect(try Self.snapshot(target).keys.sorted() == ["_SUCCESS"] + (try Self.dataFiles(target)))
        #expect(try Self.rows(target, fileColumns: ["id", "day", "note"]) == ["region=EU|1|new"])
        #expect(try Self.leftovers(target).isEmpty)
    }

    @Test func overwriteReplacesAFile() throws {
        let target = Self.temporaryPath("was-a-file")
        defer { try? FileManager.default.removeItem(atPath: target) }
        try "not a directory".write(toFile: target, atomically: false, encoding: .utf8)
        #expect(throws: ExecutionError.self) { try Self.write([Self.sample], to: target, Self.options(["region"], mode: .append)) }
        try Self.write([Self.sample], to: target, Self.options(["region"], mode: .overwrite))
        #expect(try Self.rows(target, fileColumns: ["id", "day", "note"]).count == 7)
    }

    @Test func appendKeepsTheExistingFiles() throws {
        let target = Self.temporaryPath("append")
        defer { try? FileManager.default.removeItem(atPath: target) }
        try Self.write([Self.batch([(100, Self.jan1, "EU", "old"), (101, Self.jan1, "ASIA", "old")])], to: target, Self.options(["region"]))
        let before = try Self.snapshot(target)
        try Self.write([Self.batch([(1, Self.jan1, "EU", "new"), (2, Self.jan1, "US", "new")])], to: target,
                       Self.options(["region"], mode: .append))
        let after = try Self.snapshot(target)
        for (path, bytes) in before { #expect(after[path] == bytes, "\(path) kept as it was") }
        let rows = try Self.rows(target, fileColumns: ["id", "day", "note"])
        #expect(rows == ["region=ASIA|101|old", "region=EU|100|old", "region=EU|1|new", "region=US|2|new"], "\(rows)")
        #expect(try Self.leftovers(target).isEmpty)
    }

    @Test func dynamicOverwriteReplacesOnlyThePartitionsWritten() throws {
        let target = Self.temporaryPath("dynamic")
        defer { try? FileManager.default.removeItem(atPath: target) }
        try Self.write([Self.batch([(100, Self.jan1, "EU", "old"), (101, Self.jan1, "US", "old"), (102, Self.jan2, "EU", "old")])],
                       to: target, Self.options(["day", "region"]))
        let before = try Self.snapshot(target)
        try Self.write([Self.batch([(1, Self.jan1, "EU", "new"), (2, Self.jan1, "ASIA", "new")])], to: target,
                       Self.options(["day", "region"], mode: .overwritePartitions))
        #expect(try Self.rows(target) == [
            "day=2024-01-01/region=ASIA|2|new", "day=2024-01-01/region=EU|1|new", "day=2024-01-01/region=US|101|old",
            "day=2024-01-02/region=EU|102|old",
        ])
        let after = try Self.snapshot(target)
        for (path, bytes) in before where !path.hasPrefix("day=2024-01-01/region=EU/") && path != "_SUCCESS" {
            #expect(after[path] == bytes, "\(path) untouched")
        }
        #expect(try Self.leftovers(target).isEmpty)
    }

    /// Spark: dynamic partition overwrite without partition columns is a plain overwrite.
    @Test func dynamicOverwriteWithoutPartitionColumnsReplacesEverything() throws {
        let target = Self.temporaryPath("dynamic-flat")
        defer { try? FileManager.default.removeItem(atPath: target) }
        try Self.write([Self.sample], to: target, Self.options([]))
        try Self.write([Self.batch([(1, Self.jan1, "EU", "new")])], to: target, Self.options([], mode: .overwritePartitions))
        #expect(try Self.rows(target, fileColumns: ["id", "day", "region", "note"]) == ["|1|new"])
    }

    // MARK: Failures

    /// A batch whose schema does not match fails the write; the target stays byte for byte.
    @Test(arguments: [DatasetWriteMode.overwrite, .append, .overwritePartitions])
    func failedWriteLeavesTheTargetAsItWas(mode: DatasetWriteMode) throws {
        let target = Self.temporaryPath("failed-\(mode)")
        defer { try? FileManager.default.removeItem(atPath: target) }
        try Self.write([Self.sample], to: target, Self.options(["region"]))
        let before = try Self.snapshot(target)
        let writer = try PartitionedDatasetWriter(target: target, schema: Self.schema,
                                                  options: Self.options(["region"], mode: mode) { $0.bufferBytes = 1 })
        try writer.write(Self.batch([(1, Self.jan1, "EU", "new"), (2, Self.jan2, "NEW", "new")]))
        let wrong = RecordBatch(schema: Schema([Field("id", .string)]), columns: [Column(strings: ["x"])])
        #expect(throws: ExecutionError.self) { try writer.write(wrong) }
        #expect(throws: ExecutionError.self) { _ = try writer.finish() }
        #expect(try Self.snapshot(target) == before)
        #expect(try Self.leftovers(target).isEmpty)
    }

    @Test func abandonedWriterLeavesNothing() throws {
        let target = Self.temporaryPath("abandoned")
        do {
            let writer = try PartitionedDatasetWriter(target: target, schema: Self.schema, options: Self.options(["region"]) { $0.bufferBytes = 1 })
            try writer.write(Self.sample)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try Self.leftovers(target).isEmpty)
    }

    /// Moving files into the target fails half way (a file stands where a partition directory
    /// must go): the moves already made are undone.
    @Test func failedAppendCommitIsUndone() throws {
        let target = Self.temporaryPath("append-blocked")
        defer { try? FileManager.default.removeItem(atPath: target) }
        try Self.write([Self.batch([(100, Self.jan1, "EU", "old")])], to: target, Self.options(["region"]))
        try "in the way".write(toFile: target + "/region=US", atomically: false, encoding: .utf8)
        let before = try Self.snapshot(target)
        let rows = [(1, Self.jan1, "ASIA", "new"), (2, Self.jan1, "US", "new"), (3, Self.jan1, "EU", "new")] as [(Int64, Int32?, String?, String?)]
        let error = #expect(throws: ExecutionError.self) {
            try Self.write([Self.batch(rows)], to: target, Self.options(["region"], mode: .append))
        }
        #expect("\(error!)".contains("region=US exists and is not a directory"))
        #expect(try Self.snapshot(target) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).sorted() == ["_SUCCESS", "region=EU", "region=US"])
        #expect(try Self.leftovers(target).isEmpty)
    }

    /// As above for a dynamic overwrite: the partition already replaced is put back.
    @Test func failedDynamicOverwriteCommitIsUndone() throws {
        let target = Self.temporaryPath("dynamic-blocked")
        defer { try? FileManager.default.removeItem(atPath: target) }
        try Self.write([Self.batch([(100, Self.jan1, "EU", "old")])], to: target, Self.options(["day", "region"]))
        try "in the way".write(toFile: target + "/day=2024-01-02", atomically: false, encoding: .utf8)
        let before = try Self.snapshot(target)
        let rows = [(1, Self.jan1, "EU", "new"), (2, Self.jan2, "EU", "new")] as [(Int64, Int32?, String?, String?)]
        #expect(throws: ExecutionError.self) {
            try Self.write([Self.batch(rows)], to: target, Self.options(["day", "region"], mode: .overwritePartitions))
        }
        #expect(try Self.snapshot(target) == before)
        #expect(try Self.leftovers(target).isEmpty)
    }

    @Test func namesAnUnknownPartitionColumnWithSuggestions() throws {
        let target = Self.temporaryPath("unknown")
        let error = #expect(throws: QueryError.self) {
            try PartitionedDatasetWriter(target: target, schema: Self.schema, options: Self.options(["regoin"]))
        }
        #expect(error?.description == "unknown partition column 'regoin'; did you mean 'region'?")
        #expect(!FileManager.default.fileExists(atPath: target))
        // Case-insensitive, as Spark: the directory uses the schema's spelling.
        defer { try? FileManager.default.removeItem(atPath: target) }
        try Self.write([Self.sample], to: target, Self.options(["REGION"]))
        #expect(try Self.dataFiles(target).allSatisfy { $0.hasPrefix("region=") })
    }

    @Test func refusesImpossiblePartitionings() throws {
        let target = Self.temporaryPath("impossible")
        let all = #expect(throws: ExecutionError.self) {
            try PartitionedDatasetWriter(target: target, schema: Self.schema, options: Self.options(["id", "day", "region", "note"]))
        }
        #expect("\(all!)".contains("all columns"))
        let binary = Schema([Field("b", .binary), Field("x", .int64)])
        let type = #expect(throws: ExecutionError.self) {
            try PartitionedDatasetWriter(target: target, schema: binary, options: Self.options(["b"]))
        }
        #expect("\(type!)".contains("column 'b' of type binary"))
        #expect(throws: ExecutionError.self) {
            try PartitionedDatasetWriter(target: target, schema: Self.schema, options: Self.options(["day", "DAY"]))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
