import Columnar
import Foundation
import Parquet
import Testing
@testable import Execution
@testable import Sparrow

/// A row group much larger than a scan task's share is read by several tasks, each decoding its
/// own range of whole batches. The file: one row group of 300,000 rows, `a` = i and `b` =
/// i × 2654435761 mod 2^40 (spread values that do not compress, about 4 MB), written here; the
/// expected sums come from the same formulas.
struct SplitRowGroupScanTests {
    static let rows = 300_000

    static func b(_ i: Int) -> Int64 { Int64((UInt64(i) &* 2_654_435_761) % (1 << 40)) }

    static func writeFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("split-\(UUID().uuidString).parquet").path
        let schema = Schema([Field("a", .int64, isNullable: false), Field("b", .int64, isNullable: false)])
        var properties = WriterProperties()
        properties.rowGroupRows = rows
        properties.rowGroupBytes = 1 << 30
        let writer = try ParquetFileWriter(path: path, schema: schema, properties: properties)
        let batch = RecordBatch(schema: schema, columns: [Column(.int64, (0..<rows).map { Int64($0) }), Column(.int64, (0..<rows).map(b))],
                                rowCount: rows)
        try writer.write(batch)
        try writer.close()
        return path
    }

    @Test func aLargeRowGroupIsReadByTwoTasks() throws {
        let path = try Self.writeFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ParquetFileReader(path: path).metadata.rowGroups.count == 1)
        let session = Session(threads: 2)
        try session.read.parquet(path).createOrReplaceTempView("t")
        let sevens = (0..<Self.rows).filter { $0 % 7 == 0 }
        let cases: [(String, String)] = [
            ("SELECT count(*), sum(a), sum(b) FROM t",
             "\(Self.rows)|\((0..<Self.rows).reduce(0, +))|\((0..<Self.rows).reduce(Int64(0)) { $0 + Self.b($1) })"),
            // The filter's column first, then `b` for the rows that pass (late materialization).
            ("SELECT count(*), sum(b) FROM t WHERE a % 7 = 0", "\(sevens.count)|\(sevens.reduce(Int64(0)) { $0 + Self.b($1) })"),
        ]
        for (query, expected) in cases {
            let execution = try session.sql(query).queryExecution()
            #expect(DataFrameTests().rows(try execution.collect()) == [expected], "\(query)")
            let scan = try #require(execution.operators(ParquetScanExec.self).first)
            #expect(scan.partitionCount == 2, "\(query)")
            #expect(scan.metrics.scannedRowGroups == 1, "\(query)")
        }
    }
}
