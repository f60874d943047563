import Columnar
import Foundation
import Parquet
import Query
import Testing
@testable import Execution
@testable import Sparrow

/// Row-group pruning, checked on the scan's metrics (row groups and bytes read), not on timing.
struct PruningTests {
    /// 10 row groups of 1,000 rows: k = 0…9999 in order, v = k % 7, and `maybe` null in the
    /// first five groups and 1 in the rest.
    static let file: String = {
        let path = NSTemporaryDirectory() + "sparrow-pruning-\(getpid()).parquet"
        let schema = Schema([Field("k", .int64, isNullable: false), Field("v", .int32), Field("maybe", .int32)])
        var properties = WriterProperties()
        properties.rowGroupRows = 1000
        let writer = try! ParquetFileWriter(path: path, schema: schema, properties: properties, threads: 1)
        let keys = (0..<10_000).map { Int64($0) }
        let batch = RecordBatch(schema: schema, columns: [
            Column(.int64, keys.map { Optional($0) }),
            Column(.int32, keys.map { Optional(Int32($0 % 7)) }),
            Column(.int32, keys.map { $0 < 5000 ? nil : Optional(Int32(1)) }),
        ])
        try! writer.write(batch)
        try! writer.close()
        return path
    }()

    func run(_ sql: String) throws -> (rows: [RecordBatch], scan: OperatorMetrics) {
        let session = Session(threads: 2)
        try session.read.parquet(Self.file).createOrReplaceTempView("t")
        let execution = try session.sql(sql).queryExecution()
        let rows = try execution.collect()
        return (rows, try execution.parquetScanMetrics())
    }

    func int64(_ batches: [RecordBatch], row: Int = 0, column: Int = 0) -> Int64? {
        let batch = batches[0]
        return batch.columns[column].isNull(row) ? nil : batch.columns[column].fixedWidthValue(at: row, as: Int64.self)
    }

    @Test func rangeReadsOneRowGroup() throws {
        let (rows, scan) = try run("SELECT count(*), sum(v) FROM t WHERE k BETWEEN 3000 AND 3999")
        #expect(int64(rows) == 1000)
        // sum of k % 7 over k in 3000...3999
        #expect(int64(rows, column: 1) == (3000...3999).reduce(0) { $0 + Int64($1 % 7) })
        #expect(scan.totalRowGroups == 10)
        #expect(scan.scannedRowGroups == 1)
        #expect(scan.prunedRowGroups == 9)
    }

    @Test func prunedScanReadsFewerBytes() throws {
        // The same columns either way; only the bound differs.
        let all = try run("SELECT sum(v) FROM t WHERE k >= 0").scan.readBytes
        let some = try run("SELECT sum(v) FROM t WHERE k >= 8000").scan.readBytes
        #expect(some > 0 && some * 4 < all)
    }

    @Test func nothingMatchesReadsNothing() throws {
        let (rows, scan) = try run("SELECT count(*) FROM t WHERE k > 20000")
        #expect(int64(rows) == 0)
        #expect(scan.scannedRowGroups == 0)
        #expect(scan.readBytes == 0)
    }

    @Test func nullCountsPruneIsNullAndComparisons() throws {
        // `maybe` is null in groups 0-4: IS NULL reads those, a comparison reads the others.
        #expect(try run("SELECT count(*) FROM t WHERE maybe IS NULL").scan.scannedRowGroups == 5)
        #expect(try run("SELECT count(*) FROM t WHERE maybe = 1").scan.scannedRowGroups == 5)
        #expect(try run("SELECT count(*) FROM t WHERE maybe IS NOT NULL").scan.scannedRowGroups == 5)
    }

    @Test func orNeedsBothSidesToPrune() throws {
        #expect(try run("SELECT count(*) FROM t WHERE k < 1000 OR k > 8999").scan.scannedRowGroups == 2)
        // v's bounds (0..6) cannot rule anything out, so the OR prunes nothing.
        #expect(try run("SELECT count(*) FROM t WHERE k < 1000 OR v = 3").scan.scannedRowGroups == 10)
    }

    @Test func filterStillAppliesInsideReadRowGroups() throws {
        let (rows, scan) = try run("SELECT count(*) FROM t WHERE k BETWEEN 3500 AND 4499")
        #expect(int64(rows) == 1000)
        #expect(scan.scannedRowGroups == 2)
    }
}
