import Columnar
import Foundation
import Parquet
import Query
import Testing
@testable import Execution
@testable import Sparrow

/// `df.cache()`/`persist()`/`unpersist()`, `CACHE TABLE`/`UNCACHE TABLE`/`CLEAR CACHE` over
/// Fixtures/sql/data/lineitem.parquet. Whether the cache is used is read off the physical plan
/// (an `InMemoryTableScanExec`, and no `ParquetScanExec`, once it is filled); expected rows come
/// from DuckDB over the file, `duckdb.sql("select … from 'lineitem.parquet' …")`, quoted with each test.
struct CacheTests {
    let session = Session(threads: 2)

    func lineitem() throws -> DataFrame { try session.read.parquet(DataFrameTests.path) }

    /// select count(*), … where l_quantity < 10 → 3624 rows: the frame most tests cache.
    func smallQuantities() throws -> DataFrame { try lineitem().filter("l_quantity < 10") }

    /// The physical operators of a plan, depth first.
    func operators(_ plan: any ExecutionPlan) -> [any ExecutionPlan] {
        [plan] + plan.children.flatMap(operators)
    }

    func inMemoryScans(_ execution: QueryExecution) -> [InMemoryScanExec] {
        operators(execution.physical).compactMap { $0 as? InMemoryScanExec }
    }

    func parquetScans(_ execution: QueryExecution) -> [ParquetScanExec] {
        operators(execution.physical).compactMap { $0 as? ParquetScanExec }
    }

    /// Rows as `|`-joined text, read through a query execution kept for its plan and metrics.
    func rows(_ execution: QueryExecution) throws -> [String] {
        try execution.collect().flatMap { batch in
            (0..<batch.rowCount).map { row in
                batch.columns.map { column -> String in
                    guard let value = ColumnScalar.value(of: column, at: row) else { return "?" }
                    if case .string(let s) = value.payload { return s }
                    if value.type == .date32, case .int(let days) = value.payload { return DateFormatting.date(Int32(days)) }
                    return value.description
                }.joined(separator: "|")
            }
        }
    }

    func rows(_ frame: DataFrame) throws -> [String] { try rows(try frame.queryExecution()) }

    // MARK: DataFrame API

    /// … where l_quantity < 10 group by l_returnflag order by 1 → A|901|4478.00, N|1840|9382.00, R|883|4357.00;
    /// … where l_quantity < 10 and l_linestatus = 'F' group by 1 order by 1, with sum(l_extendedprice)
    /// → A|901|6221587.57, N|23|170398.03, R|883|6099877.41
    @Test func secondActionReadsMemoryNotTheFile() throws {
        let cached = try smallQuantities().cache()
        #expect(try cached.isCached)
        let source = try #require(try session.cacheManager.cachedSource(for: cached.analyzedPlan()))
        // Lazy: nothing is computed until an action needs it.
        #expect(source.storedSize.partitions == 0)

        let first = try cached.groupBy("l_returnflag").agg(countAll().alias("n"), sum(col("l_quantity"))).orderBy("l_returnflag").queryExecution()
        // The first action computes the cache below its in-memory scan.
        let building = try #require(inMemoryScans(first).first)
        #expect(building.children.count == 1)
        #expect(parquetScans(first).count == 1)
        #expect(try rows(first) == ["A|901|4478.00", "N|1840|9382.00", "R|883|4357.00"])
        #expect(source.isComplete)
        #expect(source.storedSize.rows == 3624)

        let second = try cached.filter("l_linestatus = 'F'").groupBy("l_returnflag")
            .agg(countAll(), sum(col("l_extendedprice"))).orderBy("l_returnflag").queryExecution()
        #expect(parquetScans(second).isEmpty)
        let scan = try #require(inMemoryScans(second).first)
        #expect(scan.children.isEmpty)
        // Only the columns the query uses (in the file's order); the filter above the scan still applies.
        #expect(scan.schema.columns.map(\.name) == ["l_extendedprice", "l_returnflag", "l_linestatus"])
        #expect(try rows(second) == ["A|901|6221587.57", "N|23|170398.03", "R|883|6099877.41"])
        #expect(scan.metrics.outputRows == 3624)
        #expect(second.explainString(.simple).contains("InMemoryTableScanExec"))
        #expect(second.analyzeString().contains("InMemoryTableScanExec [l_extendedprice, l_returnflag, l_linestatus] in-memory relation"))
        #expect(second.analyzeString().contains("(rows=3624)"))
    }

    /// count → 3624; … order by l_extendedprice desc, l_orderkey limit 3 → 10695|3|17108.91,
    /// 4064|7|17090.91, 5730|2|17090.91; group by l_linestatus: max(l_shipdate), min(l_discount)
    /// → F|1995-06-17|0.00, O|1998-11-26|0.00
    @Test func cachedResultsEqualUncachedOnes() throws {
        func queries(_ frame: DataFrame) throws -> [[String]] {
            [
                [String(try frame.count())],
                try rows(frame.select("l_orderkey", "l_linenumber", "l_extendedprice")
                    .orderBy(col("l_extendedprice").desc(), col("l_orderkey").asc()).limit(3)),
                try rows(frame.groupBy("l_linestatus").agg(max(col("l_shipdate")), min(col("l_discount"))).orderBy("l_linestatus")),
            ]
        }
        let expected = [["3624"], ["10695|3|17108.91", "4064|7|17090.91", "5730|2|17090.91"], ["F|1995-06-17|0.00", "O|1998-11-26|0.00"]]
        #expect(try queries(smallQuantities()) == expected)
        let cached = try smallQuantities().persist()
        #expect(try queries(cached) == expected)  // fills the cache
        #expect(try queries(cached) == expected)  // reads it
        #expect(try inMemoryScans(cached.queryExecution()).allSatisfy { $0.children.isEmpty })
    }

    @Test func unpersistRestoresTheFileScan() throws {
        let cached = try smallQuantities().cache()
        #expect(try cached.count() == 3624)
        #expect(try parquetScans(cached.queryExecution()).isEmpty)
        try cached.unpersist()
        #expect(try !cached.isCached)
        let execution = try cached.queryExecution()
        #expect(inMemoryScans(execution).isEmpty)
        #expect(parquetScans(execution).count == 1)
        #expect(try rows(execution).count == 3624)
        #expect(try execution.parquetScanMetrics().readBytes > 0)
    }

    /// A new reader of the same file, and SQL naming it by path, find the cache.
    /// select count(*), sum(l_quantity) … where l_quantity < 10 and l_shipmode = 'AIR' → 530|2705.00
    @Test func plansMatchByContentNotByObject() throws {
        try lineitem().cache()
        #expect(try lineitem().isCached)
        let execution = try session.sql("""
            SELECT count(*), sum(l_quantity) FROM parquet.`\(DataFrameTests.path)` WHERE l_quantity < 10 AND l_shipmode = 'AIR'
            """).queryExecution()
        #expect(parquetScans(execution).count == 1)  // builds the cache
        #expect(try rows(execution) == ["530|2705.00"])
        let again = try smallQuantities().filter("l_shipmode = 'AIR'").agg(countAll(), sum(col("l_quantity"))).queryExecution()
        #expect(parquetScans(again).isEmpty)
        #expect(try rows(again) == ["530|2705.00"])
        // A different plan over the same file is not the cached one.
        #expect(try !smallQuantities().isCached)
    }

    /// The cache keeps the partitioning of the plan that computed it: an aggregate exchanged into
    /// 4 partitions is scanned by 4 tasks.
    /// select l_shipmode, count(*), sum(l_quantity) group by 1 order by 1
    @Test func partitionsAreKeptAndScannedInParallel() throws {
        try session.setConf("spark.sql.shuffle.partitions", "4")
        let modes = try lineitem().groupBy("l_shipmode").agg(countAll().alias("n"), sum(col("l_quantity")).alias("q")).cache()
        let expected = ["AIR|2838|72053.00", "FOB|2833|72170.00", "MAIL|2913|74836.00", "RAIL|2832|72386.00",
                        "REG AIR|2862|72644.00", "SHIP|2877|74633.00", "TRUCK|2905|74636.00"]
        #expect(try rows(modes.orderBy("l_shipmode")) == expected)
        let execution = try modes.filter("n > 2850").orderBy("l_shipmode").queryExecution()
        let scan = try #require(inMemoryScans(execution).first)
        #expect(scan.partitionCount == 4)
        #expect(try rows(execution) == expected.filter { Int($0.split(separator: "|")[1])! > 2850 })
        let stage = try #require(execution.scheduler.stageReports.first { $0.operators.contains("InMemoryTableScanExec") })
        #expect(stage.tasks == 4)
        #expect(scan.metrics.outputRows == 7)
    }

    /// A query that stops early stores only the partitions it read to the end; the next fills the rest.
    @Test func partlyFilledCacheIsCompletedLater() throws {
        try session.setConf("spark.sql.shuffle.partitions", "4")
        let modes = try lineitem().groupBy("l_shipmode").agg(countAll().alias("n")).cache()
        try modes.queryExecution().stream { _ in false }
        #expect(try modes.agg(sum(col("n"))).collect().first?.columns[0].fixedWidthValue(at: 0, as: Int64.self) == 20060)
        let source = try #require(try session.cacheManager.cachedSource(for: modes.analyzedPlan()))
        #expect(source.isComplete)
        #expect(source.storedSize.rows == 7)
    }

    /// A cache built over another cache reads it, and outlives it.
    @Test func cacheOverACache() throws {
        let small = try smallQuantities().cache()
        let flags = try small.groupBy("l_returnflag").agg(countAll().alias("n")).cache()
        let first = try flags.orderBy("l_returnflag").queryExecution()
        #expect(parquetScans(first).count == 1)
        #expect(inMemoryScans(first).count == 2)  // flags, computed from small, computed from the file
        #expect(try rows(first) == ["A|901", "N|1840", "R|883"])
        try small.unpersist()
        let second = try flags.orderBy("l_returnflag").queryExecution()
        #expect(parquetScans(second).isEmpty)
        #expect(inMemoryScans(second).count == 1)
        #expect(try rows(second) == ["A|901", "N|1840", "R|883"])
    }

    /// As in Spark, a cache is not refreshed when its file changes: it keeps the rows it read.
    @Test func cacheKeepsTheRowsItRead() throws {
        let path = NSTemporaryDirectory() + "sparrow-cache-\(getpid()).parquet"
        defer { try? FileManager.default.removeItem(atPath: path) }
        func write(rows: Int) throws {
            let schema = Schema([Field("k", .int64, isNullable: false)])
            let staging = path + ".new"
            let writer = try ParquetFileWriter(path: staging, schema: schema, properties: WriterProperties(), threads: 1)
            try writer.write(RecordBatch(schema: schema, columns: [Column(.int64, (0..<rows).map { Optional(Int64($0)) })]))
            try writer.close()
            // A new file under the old name; the old one stays readable through open handles.
            #expect(rename(staging, path) == 0)
        }
        func sum(_ frame: DataFrame) throws -> [String] { try rows(frame.agg(countAll(), Sparrow.sum(col("k")))) }
        try write(rows: 1000)
        try session.read.parquet(path).cache()
        #expect(try sum(session.read.parquet(path)) == ["1000|499500"])
        try write(rows: 10)
        #expect(try sum(session.read.parquet(path)) == ["1000|499500"])
        try session.read.parquet(path).unpersist()
        #expect(try sum(session.read.parquet(path)) == ["10|45"])
    }

    // MARK: Joins

    static let ordersPath = URL(fileURLWithPath: DataFrameTests.path).deletingLastPathComponent().appendingPathComponent("orders.parquet").path

    /// A cached dimension read by a join, and a cached join read by aggregates. DuckDB:
    /// select o_orderpriority, count(*), sum(l_quantity) from lineitem join orders on l_orderkey = o_orderkey
    /// where o_orderstatus = 'F' group by 1 order by 1; … and l_returnflag = 'R' → 4708|168221619.47;
    /// the orders with status F joined with themselves on the key → 2402
    @Test func joinsReadCachedSidesAndCachedJoins() throws {
        let expected = ["1-URGENT|1866|47270.00", "2-HIGH|1872|48039.00", "3-MEDIUM|1863|46852.00",
                        "4-NOT SPECIFIED|2049|52750.00", "5-LOW|1886|48415.00"]
        let finished = try session.read.parquet(Self.ordersPath).filter("o_orderstatus = 'F'").select("o_orderkey", "o_orderpriority").cache()
        let byPriority = try lineitem().join(finished, on: col("l_orderkey") == col("o_orderkey"))
            .groupBy("o_orderpriority").agg(countAll(), sum(col("l_quantity"))).orderBy("o_orderpriority")
        #expect(try rows(byPriority) == expected)  // fills the cache
        let second = try byPriority.queryExecution()
        #expect(parquetScans(second).count == 1)  // lineitem only
        #expect(try inMemoryScans(second).count == 1 && inMemoryScans(second)[0].children.isEmpty)
        #expect(try rows(second) == expected)

        try finished.createOrReplaceTempView("finished")
        let selfJoin = try session.sql("SELECT count(*) FROM finished a JOIN finished b ON a.o_orderkey = b.o_orderkey").queryExecution()
        #expect(parquetScans(selfJoin).isEmpty)
        #expect(inMemoryScans(selfJoin).count == 2)
        #expect(try rows(selfJoin) == ["2402"])

        let joined = try lineitem().join(finished, on: col("l_orderkey") == col("o_orderkey")).cache()
        #expect(try rows(joined.groupBy("o_orderpriority").agg(countAll(), sum(col("l_quantity"))).orderBy("o_orderpriority")) == expected)
        let returned = try joined.filter("l_returnflag = 'R'").agg(countAll(), sum(col("l_extendedprice"))).queryExecution()
        #expect(parquetScans(returned).isEmpty)
        #expect(try rows(returned) == ["4708|168221619.47"])
    }

    // MARK: SQL

    /// select l_returnflag, count(*), sum(l_quantity) … where l_quantity < 10 group by 1 order by 1
    @Test func cacheTableAsSelectThenUncache() throws {
        _ = try session.sql("""
            CACHE TABLE small AS SELECT l_returnflag, l_linestatus, l_quantity
            FROM parquet.`\(DataFrameTests.path)` WHERE l_quantity < 10
            """)
        #expect(try session.catalog.isCached("small"))
        #expect(session.catalog.viewNames.contains("small"))
        // Eager: filled by the statement itself.
        let source = try #require(try session.cacheManager.cachedSource(for: session.catalog.relation(for: TableName("small"))))
        #expect(source.isComplete)
        #expect(source.displayName == "in-memory table small")

        let query = "SELECT l_returnflag, count(*), sum(l_quantity) FROM small GROUP BY 1 ORDER BY 1"
        let cached = try session.sql(query).queryExecution()
        #expect(parquetScans(cached).isEmpty)
        #expect(try rows(cached) == ["A|901|4478.00", "N|1840|9382.00", "R|883|4357.00"])
        // A DataFrame over the view finds it too.
        #expect(try parquetScans(session.table("small").filter("l_linestatus = 'O'").queryExecution()).isEmpty)

        _ = try session.sql("UNCACHE TABLE small")
        #expect(try !session.catalog.isCached("small"))
        let uncached = try session.sql(query).queryExecution()
        #expect(inMemoryScans(uncached).isEmpty)
        #expect(try rows(uncached) == ["A|901|4478.00", "N|1840|9382.00", "R|883|4357.00"])
    }

    @Test func lazyCacheTableFillsOnFirstQuery() throws {
        try smallQuantities().createOrReplaceTempView("small")
        _ = try session.sql("CACHE LAZY TABLE small")
        let source = try #require(try session.cacheManager.cachedSource(for: session.catalog.relation(for: TableName("small"))))
        #expect(!source.isComplete)
        #expect(try session.sql("SELECT count(*) FROM small").collect().first?.columns[0].fixedWidthValue(at: 0, as: Int64.self) == 3624)
        #expect(source.isComplete)
        // The catalog's own calls, as Spark's spark.catalog has them.
        try session.catalog.uncacheTable("small")
        #expect(try !session.catalog.isCached("small"))
        try session.catalog.cacheTable("small")
        #expect(try session.catalog.isCached("small"))
        session.catalog.clearCache()
        #expect(try !session.catalog.isCached("small"))
    }

    @Test func clearCacheDropsEverything() throws {
        try smallQuantities().createOrReplaceTempView("small")
        try lineitem().createOrReplaceTempView("li")
        _ = try session.sql("CACHE LAZY TABLE small; CACHE LAZY TABLE li")
        #expect(try session.catalog.isCached("small") && session.catalog.isCached("li"))
        _ = try session.sql("CLEAR CACHE")
        #expect(try !session.catalog.isCached("small") && !session.catalog.isCached("li"))
    }

    /// Dropping a view, or replacing it with another plan, drops its cache (as Spark does).
    @Test func droppingOrReplacingAViewUncachesIt() throws {
        try smallQuantities().createOrReplaceTempView("small")
        _ = try session.sql("CACHE LAZY TABLE small")
        try smallQuantities().createOrReplaceTempView("small")  // the same plan: still cached
        #expect(try session.catalog.isCached("small"))
        try lineitem().filter("l_quantity < 20").createOrReplaceTempView("small")
        #expect(try !smallQuantities().isCached)

        _ = try session.sql("CREATE OR REPLACE TEMP VIEW small AS SELECT * FROM parquet.`\(DataFrameTests.path)` WHERE l_quantity < 10")
        _ = try session.sql("CACHE LAZY TABLE small")
        _ = try session.sql("DROP VIEW small")
        #expect(try !smallQuantities().isCached)
    }

    @Test func errors() throws {
        #expect {
            try session.sql("UNCACHE TABLE nope")
        } throws: { error in
            guard case QueryError.unresolved(_, let name, _) = error else { return false }
            return name == "nope"
        }
        _ = try session.sql("UNCACHE TABLE IF EXISTS nope")
        _ = try session.sql("UNCACHE TABLE IF EXISTS parquet.`/no/such/file.parquet`")
        #expect(throws: QueryError.self) { try session.sql("CACHE TABLE nope") }
        #expect(throws: QueryError.self) { try session.catalog.isCached("nope") }

        try smallQuantities().createOrReplaceTempView("small")
        // Spark: the view of CACHE TABLE … AS must not exist yet.
        #expect(throws: QueryError.self) { try session.sql("CACHE TABLE small AS SELECT 1 AS x") }
        #expect(try !session.catalog.isCached("small"))
        // A query that does not analyze registers nothing.
        #expect(throws: QueryError.self) { try session.sql("CACHE TABLE bad AS SELECT nope FROM small") }
        #expect(!session.catalog.viewNames.contains("bad"))
        // Filling the cache fails (integer overflow computing x): neither the view nor a cache stays.
        #expect(throws: (any Error).self) {
            try session.sql("CACHE TABLE overflow AS SELECT l_orderkey * 9223372036854775807 AS x FROM small")
        }
        #expect(!session.catalog.viewNames.contains("overflow"))
        #expect(session.cacheManager.isEmpty)
        // A failed eager CACHE TABLE leaves a cache made before it alone.
        _ = try session.sql("CREATE TEMP VIEW overflow AS SELECT l_orderkey * 9223372036854775807 AS x FROM small; CACHE LAZY TABLE overflow")
        #expect(throws: (any Error).self) { try session.sql("CACHE TABLE overflow") }
        #expect(try session.catalog.isCached("overflow"))
        #expect(session.catalog.viewNames.contains("overflow"))
        // Uncaching a table that is not cached is fine, as in Spark.
        _ = try session.sql("UNCACHE TABLE small")
    }
}
