import Columnar
import Foundation
import Query
import Testing
@testable import Execution
@testable import Sparrow

/// Hive-partitioned datasets that Spark, DuckDB and pyarrow wrote (Fixtures/datasets), read by Sparrow.
///
/// The answers in Fixtures/datasets/expected/*.json are DuckDB's over the source rows, which DuckDB's
/// and Spark's reading of each written dataset reproduce (tools/fixtures/make_dataset_fixtures.py):
/// every column's type as Spark infers it, and query results down to every row.
struct PeerDatasetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/datasets")
    static let datasets = ["spark_sales", "spark_years", "duckdb_sales", "pyarrow_sales", "spark_evolving"]
    static let salesDatasets = ["spark_sales", "duckdb_sales", "pyarrow_sales"]

    /// One expected/<dataset>.json.
    struct Expected: Decodable {
        struct Column: Decodable, Equatable, CustomStringConvertible {
            let name: String
            let type: String
            var description: String { "\(name) \(type)" }
        }

        struct Query: Decodable {
            let sql: String
            let rows: [[Cell]]
        }

        let conf: [String: String]
        let rows: Int
        let dataFiles: Int
        let schema: [Column]
        let partitionColumns: [Column]
        let schemaWithoutTypeInference: [Column]
        let queries: [Query]

        enum CodingKeys: String, CodingKey {
            case conf, rows, dataFiles = "data_files", schema, partitionColumns = "partition_columns"
            case schemaWithoutTypeInference = "schema_without_type_inference", queries
        }
    }

    /// A result value as the fixtures spell it: integers and doubles as numbers, decimals and dates as
    /// text (`"12.30"`, `"2024-02-29"`).
    enum Cell: Decodable, Equatable, CustomStringConvertible {
        case null
        case number(Double)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        /// Sparrow's value in the same spelling; types the fixtures do not use are a test failure.
        init(_ column: Column, at row: Int) throws {
            let value = try #require(ColumnScalar.value(of: column, at: row), "no scalar for type \(column.type)")
            switch value.payload {
            case .null: self = .null
            case .int(let v) where value.type == .date32: self = .text(DateFormatting.date(Int32(v)))
            case .int(let v): self = .number(Double(v))
            case .uint(let v): self = .number(Double(v))
            case .double(let v): self = .number(v)
            case .decimal: self = .text(value.description)
            case .string(let s): self = .text(s)
            default:
                Issue.record("unexpected value \(value) of type \(value.type)")
                self = .null
            }
        }

        var description: String {
            switch self {
            case .null: "null"
            case .number(let v): v.description
            case .text(let s): "\"\(s)\""
            }
        }
    }

    static func expected(_ dataset: String) throws -> Expected {
        let data = try Data(contentsOf: root.appendingPathComponent("expected/\(dataset).json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    static func path(_ dataset: String) -> String { root.appendingPathComponent(dataset).path }

    /// A session with the settings the dataset's reading needs (`spark.sql.parquet.mergeSchema`).
    static func session(for expected: Expected) throws -> Session {
        let session = Session(threads: 2)
        for (key, value) in expected.conf { try session.setConf(key, value) }
        return session
    }

    static func cells(_ batches: [RecordBatch]) throws -> [[Cell]] {
        try batches.flatMap { batch in
            try (0..<batch.rowCount).map { row in try batch.columns.map { try Cell($0, at: row) } }
        }
    }

    /// Checks `actual` against `expected` row by row; one failure names the first differing row.
    static func expectRows(_ actual: [[Cell]], _ expected: [[Cell]], _ context: String) {
        if actual == expected { return }
        guard let first = zip(actual, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else {
            Issue.record("\(context): \(actual.count) rows, expected \(expected.count)")
            return
        }
        Issue.record("\(context): row \(first) is \(actual[first]), expected \(expected[first])")
    }


    /// Every column with its type, the partition columns last, typed as Spark infers them (dates,
    /// ints, strings), as `spark.read.parquet(dir).schema` reports it.
    @Test(arguments: datasets)
    func schemaIsSparks(dataset: String) throws {
        let expected = try Self.expected(dataset)
        let frame = try Self.session(for: expected).read.parquet(Self.path(dataset))
        let columns = try frame.schema().columns.map { Expected.Column(name: $0.name, type: $0.type.sqlName.lowercased()) }
        #expect(columns == expected.schema)
        let partitionNames = Set(expected.partitionColumns.map(\.name))
        #expect(columns.suffix(partitionNames.count).map(\.name).allSatisfy(partitionNames.contains))
    }

    /// With `spark.sql.sources.partitionColumnTypeInference.enabled` false every partition column is
    /// a string, as in Spark.
    @Test(arguments: datasets)
    func schemaWithoutTypeInferenceIsSparks(dataset: String) throws {
        let expected = try Self.expected(dataset)
        let session = try Self.session(for: expected)
        try session.setConf("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        let columns = try session.read.parquet(Self.path(dataset)).schema().columns
            .map { Expected.Column(name: $0.name, type: $0.type.sqlName.lowercased()) }
        #expect(columns == expected.schemaWithoutTypeInference)
    }

    /// Each query over `session.read.parquet(dir)` as a temporary view: totals, sums per region and per
    /// date, filters on typed partition columns, and every row in order.
    @Test(arguments: datasets)
    func queriesOverTheReaderMatchPeers(dataset: String) throws {
        let expected = try Self.expected(dataset)
        let session = try Self.session(for: expected)
        try session.read.parquet(Self.path(dataset)).createOrReplaceTempView("t")
        for query in expected.queries {
            Self.expectRows(try Self.cells(try session.sql(query.sql).collect()), query.rows, "\(dataset): \(query.sql)")
        }
    }

    /// The same queries with the table named by path, `parquet.\`dir\``.
    @Test(arguments: datasets)
    func queriesOverParquetPathsMatchPeers(dataset: String) throws {
        let expected = try Self.expected(dataset)
        let session = try Self.session(for: expected)
        for query in expected.queries {
            let sql = query.sql.replacingOccurrences(of: " FROM t", with: " FROM parquet.`\(Self.path(dataset))`")
            #expect(sql != query.sql)
            Self.expectRows(try Self.cells(try session.sql(sql).collect()), query.rows, "\(dataset): \(sql)")
        }
    }

    /// An unfiltered scan reads every data file and nothing else: Spark's `.crc` files and `_SUCCESS`
    /// are not data (the fixtures' `data_files` counts `*.parquet` files only).
    @Test(arguments: datasets)
    func scansEveryDataFileAndNoOtherFile(dataset: String) throws {
        let expected = try Self.expected(dataset)
        let execution = try Self.session(for: expected).sql(expected.queries[0].sql.replacingOccurrences(
            of: " FROM t", with: " FROM parquet.`\(Self.path(dataset))`")).queryExecution()
        Self.expectRows(try Self.cells(try execution.collect()), expected.queries[0].rows, dataset)
        let scan = try execution.parquetScanMetrics()
        #expect(scan.totalFiles == expected.dataFiles)
        #expect(scan.scannedFiles == expected.dataFiles)
    }

    /// Data files under the directories whose `region=` value, percent-decoded by Foundation, is
    /// `region` (`__HIVE_DEFAULT_PARTITION__` for nil): Spark writes `SALE 50%25`, DuckDB and pyarrow
    /// `SALE%2050%25`.
    static func dataFiles(of dataset: String, region: String?) throws -> Int {
        let directory = region.map { "region=" + $0 } ?? "region=__HIVE_DEFAULT_PARTITION__"
        let enumerator = try #require(FileManager.default.enumerator(atPath: path(dataset)))
        var count = 0
        while let relative = enumerator.nextObject() as? String {
            let parts = relative.split(separator: "/")
            guard let file = parts.last, file.hasSuffix(".parquet"), !file.hasPrefix("."), !file.hasPrefix("_"),
                  parts.count >= 2, parts[parts.count - 2].removingPercentEncoding == directory else { continue }
            count += 1
        }
        return count
    }

    /// A filter on `region` reads only that region's directories, however the writer escaped the
    /// name, and gets the rows and sum of that region's group in the expected per-region query.
    @Test(arguments: salesDatasets, ["MIDDLE/EAST", "SALE 50%", "A:B", nil] as [String?])
    func regionFilterReadsOnlyItsDirectories(dataset: String, region: String?) throws {
        let expected = try Self.expected(dataset)
        let perRegion = try #require(expected.queries.first { $0.sql.hasPrefix("SELECT region, count(*), sum(quantity), sum(amount)") })
        let group = try #require(perRegion.rows.first { $0[0] == (region.map(Cell.text) ?? .null) })
        let condition = region.map { "region = '\($0)'" } ?? "region IS NULL"
        let execution = try Self.session(for: expected)
            .sql("SELECT count(*), sum(amount) FROM parquet.`\(Self.path(dataset))` WHERE \(condition)").queryExecution()
        Self.expectRows(try Self.cells(try execution.collect()), [[group[1], group[3]]], "\(dataset) WHERE \(condition)")
        let files = try Self.dataFiles(of: dataset, region: region)
        #expect(files > 0)
        #expect(try execution.parquetScanMetrics().scannedFiles == files)
    }

    /// Without mergeSchema the columns come from some of the files (as in Spark), but every file's rows
    /// are still read.
    @Test func evolvingDatasetWithoutMergeSchemaReadsEveryRow() throws {
        let expected = try Self.expected("spark_evolving")
        let totals = try #require(expected.queries.first { $0.sql.hasPrefix("SELECT count(*), count(discount)") })
        let frame = try Session(threads: 2).sql("SELECT count(*), sum(amount) FROM parquet.`\(Self.path("spark_evolving"))`")
        Self.expectRows(try Self.cells(try frame.collect()), [[totals.rows[0][0], totals.rows[0][3]]], "spark_evolving")
    }
}
