import Foundation
import Testing

/// `CACHE TABLE` and `UNCACHE TABLE` in `sparrow sql` scripts: a statement caches, later
/// statements of the same script read the cache. Expected rows are DuckDB's on the same file.
@Suite struct CacheCommandTests {
    let lineitem = SparrowProcess.repositoryRoot.appendingPathComponent("Fixtures/sql/data/lineitem.parquet").path

    func runScript(_ script: String, _ arguments: [String]) throws -> SparrowProcess.Result {
        let path = SparrowProcess.temporaryPath("cache.sql")
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try SparrowProcess.run(["sql", "-f", path] + arguments)
    }

    /// select l_returnflag, count(*), sum(l_quantity) … where l_quantity < 10 group by 1 order by 1
    @Test func laterStatementsReadTheCache() throws {
        let result = try runScript("""
            SET spark.sql.shuffle.partitions=3;
            CACHE TABLE small AS SELECT l_returnflag, l_quantity FROM parquet.`\(lineitem)` WHERE l_quantity < 10;
            SELECT l_returnflag, count(*) AS n, sum(l_quantity) AS q FROM small GROUP BY 1 ORDER BY 1;
            """, ["--format", "csv", "--analyze"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "l_returnflag,n,q\nA,901,4478.00\nN,1840,9382.00\nR,883,4357.00\n")
        // The query's plan reads memory: the file was read by CACHE TABLE.
        #expect(result.stderr.contains("InMemoryTableScanExec [l_returnflag, l_quantity] in-memory table small (cached: 1 partition, 3624 rows"))
        #expect(result.stderr.contains("(rows=3624)"))
        #expect(!result.stderr.contains("ParquetScanExec"))
    }

    @Test func uncacheGoesBackToTheFile() throws {
        let result = try runScript("""
            CREATE TEMP VIEW li AS SELECT * FROM parquet.`\(lineitem)`;
            CACHE LAZY TABLE li;
            UNCACHE TABLE li;
            UNCACHE TABLE IF EXISTS nope;
            SELECT count(*) FROM li;
            """, ["--format", "csv", "--analyze"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "count(*)\n20060\n")
        #expect(result.stderr.contains("ParquetScanExec"))
        #expect(!result.stderr.contains("InMemoryTableScanExec"))
    }

    @Test func uncachingAnUnknownTableFails() throws {
        let result = try runScript("SELECT 1 AS x;\nUNCACHE TABLE nope;\nSELECT 2 AS y;", ["--format", "csv"])
        #expect(result.status == 1)
        #expect(!result.crashed)
        #expect(result.stderr.contains("unknown table or view 'nope'"))
        // Statements run in order and the script stops at the failing one.
        #expect(result.stdout == "x\n1\n")
    }
}
