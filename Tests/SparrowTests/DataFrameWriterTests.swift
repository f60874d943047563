import Columnar
import Foundation
import Parquet
import Query
import Testing
@testable import Execution
@testable import Sparrow

/// `df.write` and `INSERT OVERWRITE DIRECTORY` over Fixtures/sql/data/lineitem.parquet. Counts come
/// from DuckDB: `select l_returnflag, l_linestatus, count(*) … group by all` → A/F 4876, N/F 130,
/// N/O 10236, R/F 4818; `… where l_returnflag = 'R' and l_quantity < 10` → 883 rows.
@Suite(.serialized) struct DataFrameWriterTests {
    let session = Session(threads: 2)
    static let expectedCounts = ["l_returnflag=A/l_linestatus=F": 4876, "l_returnflag=N/l_linestatus=F": 130,
                                 "l_returnflag=N/l_linestatus=O": 10236, "l_returnflag=R/l_linestatus=F": 4818]

    func lineitem() throws -> DataFrame { try session.read.parquet(DataFrameTests.path) }

    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "sparrow-df-writer-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }

    /// Rows per partition directory (or "" for files directly in `directory`), read from the files'
    /// footers; checks that no file holds a column named in `absent`.
    static func rowsPerDirectory(_ directory: String, absent: [String] = []) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for path in FileManager.default.subpaths(atPath: directory) ?? [] where path.hasSuffix(".parquet") {
            let reader = try ParquetFileReader(path: directory + "/" + path)
            let names = reader.schema.schema.fields.map(\.name)
            #expect(absent.allSatisfy { !names.contains($0) }, "\(path) holds a partition column")
            counts[path.split(separator: "/").dropLast().joined(separator: "/"), default: 0] += reader.rowCount
        }
        return counts
    }

    static func files(_ directory: String) -> [String] {
        (FileManager.default.subpaths(atPath: directory) ?? []).filter { $0.hasSuffix(".parquet") }.sorted()
    }

    @Test func partitionByWritesTheHiveLayout() throws {
        let out = Self.temporaryPath("partitioned")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try lineitem().write.partitionBy("l_returnflag", "l_linestatus").parquet(out)
        #expect(try Self.rowsPerDirectory(out, absent: ["l_returnflag", "l_linestatus"]) == Self.expectedCounts)
        #expect(FileManager.default.fileExists(atPath: out + "/_SUCCESS"))
        // Error is the default mode; ignore leaves the target alone.
        #expect(throws: ExecutionError.self) { try lineitem().write.partitionBy("l_returnflag").parquet(out) }
        let before = Self.files(out)
        try lineitem().write.mode("ignore").partitionBy("l_returnflag").parquet(out)
        #expect(Self.files(out) == before)
    }

    @Test func dynamicOverwriteByOptionOrSessionConf() throws {
        for useConf in [false, true] {
            let out = Self.temporaryPath("dynamic")
            defer { try? FileManager.default.removeItem(atPath: out) }
            try lineitem().write.partitionBy("l_returnflag", "l_linestatus").parquet(out)
            var writer = try lineitem().filter("l_returnflag = 'R' AND l_quantity < 10").write.mode("overwrite")
                .partitionBy("l_returnflag", "l_linestatus")
            if useConf {
                try session.setConf("spark.sql.sources.partitionOverwriteMode", "dynamic")
            } else {
                writer = writer.option("partitionOverwriteMode", "DYNAMIC")
            }
            try writer.parquet(out)
            var expected = Self.expectedCounts
            expected["l_returnflag=R/l_linestatus=F"] = 883
            #expect(try Self.rowsPerDirectory(out) == expected)
            try session.setConf("spark.sql.sources.partitionOverwriteMode", "static")
            // Static overwrite replaces everything.
            try lineitem().filter("l_returnflag = 'R' AND l_quantity < 10").write.mode("overwrite")
                .partitionBy("l_returnflag", "l_linestatus").parquet(out)
            #expect(try Self.rowsPerDirectory(out) == ["l_returnflag=R/l_linestatus=F": 883])
        }
    }

    @Test func maxRecordsPerFileAndAppendWriteADirectory() throws {
        let out = Self.temporaryPath("split")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try lineitem().write.option("maxRecordsPerFile", 5000).parquet(out)
        let sizes = try Self.files(out).map { try ParquetFileReader(path: out + "/" + $0).rowCount }
        #expect(sizes.sorted() == [60, 5000, 5000, 5000, 5000])
        try lineitem().write.mode("append").parquet(out)
        #expect(try Self.rowsPerDirectory(out) == ["": 2 * 20060])
        #expect(try session.read.parquet(out + "/" + Self.files(out)[0]).count() > 0)
    }

    @Test func compressionOptionAndSessionCodec() throws {
        let out = Self.temporaryPath("codec")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try lineitem().write.option("compression", "snappy").partitionBy("l_shipmode").parquet(out)
        #expect(Self.files(out).count == 7 && Self.files(out).allSatisfy { $0.hasSuffix(".snappy.parquet") })
        let chunk = try ParquetFileReader(path: out + "/" + Self.files(out)[0]).metadata.rowGroups[0].columns[0]
        #expect(chunk.metaData?.codec == .snappy)
        _ = try session.sql("SET spark.sql.parquet.compression.codec = gzip").collect()
        try lineitem().write.mode("overwrite").partitionBy("l_shipmode").parquet(out)
        #expect(Self.files(out).allSatisfy { $0.hasSuffix(".gz.parquet") })
        #expect(throws: SessionError.self) { try lineitem().write.option("compression", "lzma").partitionBy("l_shipmode").parquet(out) }
        #expect(throws: SessionError.self) { try session.setConf("spark.sql.sources.partitionOverwriteMode", "sometimes") }
        #expect(throws: SessionError.self) { try lineitem().write.mode("sideways") }
    }

    @Test func unknownPartitionColumnSuggestsTheClosest() throws {
        let out = Self.temporaryPath("unknown")
        let error = #expect(throws: QueryError.self) { try lineitem().write.partitionBy("l_shipmod").parquet(out) }
        #expect(error?.description == "unknown partition column 'l_shipmod'; did you mean 'l_shipmode'?")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func insertOverwriteDirectoryWritesAndSummarises() throws {
        let out = Self.temporaryPath("insert")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try lineitem().createOrReplaceTempView("lineitem")
        let summary = try session.sql("""
            INSERT OVERWRITE DIRECTORY '\(out)' USING parquet OPTIONS ('compression' = 'zstd', 'maxRecordsPerFile' = '4000')
            PARTITIONED BY (l_returnflag, l_linestatus) SELECT * FROM lineitem
            """).collect()
        // Files: A/F 4876 → 2, N/F 130 → 1, N/O 10236 → 3, R/F 4818 → 2.
        let row = summary[0].columns.map { ColumnScalar.value(of: $0, at: 0)!.description }
        #expect(row.dropLast() == ["'\(out)'", "4", "8", "20060"])
        #expect(try Self.rowsPerDirectory(out, absent: ["l_returnflag", "l_linestatus"]) == Self.expectedCounts)
        // The written bytes are the files' sizes.
        let bytes = try Self.files(out).reduce(0) { $0 + (try FileManager.default.attributesOfItem(atPath: out + "/" + $1)[.size] as! Int) }
        #expect(row.last == String(bytes))
        // INTO adds files; OVERWRITE without PARTITIONED BY puts the files directly in the directory.
        _ = try session.sql("INSERT INTO DIRECTORY '\(out)' USING parquet PARTITIONED BY (l_returnflag, l_linestatus) SELECT * FROM lineitem WHERE l_returnflag = 'N'").collect()
        #expect(try Self.rowsPerDirectory(out)["l_returnflag=N/l_linestatus=O"] == 2 * 10236)
        _ = try session.sql("INSERT OVERWRITE DIRECTORY '\(out)' USING parquet SELECT l_orderkey FROM lineitem").collect()
        #expect(try Self.rowsPerDirectory(out) == ["": 20060])
    }

    /// Written by Sparrow, read back by Sparrow's dataset reader: the partition column comes back
    /// as a DATE column. DuckDB over the original file's January 1995 ship dates: 31 distinct,
    /// 233 rows, sum(l_orderkey) 2336337; 1995-01-01..03: 5, 9, 8 rows, sum(l_quantity) 191.00,
    /// 217.00, 208.00.
    @Test func readsItsOwnPartitionedOutputBack() throws {
        let out = Self.temporaryPath("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try lineitem().filter("l_shipdate BETWEEN DATE '1995-01-01' AND DATE '1995-01-31'").write.partitionBy("l_shipdate").parquet(out)
        let back = try session.read.parquet(out)
        #expect(try back.schema().columns.first { $0.name == "l_shipdate" }?.type == .date32)
        #expect(try DataFrameTests().rows(back.agg(countDistinct(col("l_shipdate")), countAll(), sum(col("l_orderkey")))) == ["31|233|2336337"])
        let days = try back.filter("l_shipdate BETWEEN DATE '1995-01-01' AND DATE '1995-01-03'")
            .groupBy("l_shipdate").agg(countAll(), sum(col("l_quantity"))).orderBy("l_shipdate")
        #expect(try DataFrameTests().rows(days) == ["1995-01-01|5|191.00", "1995-01-02|9|217.00", "1995-01-03|8|208.00"])
    }
}
