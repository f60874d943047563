import Testing
@testable import Query

/// `CACHE TABLE`, `UNCACHE TABLE`, `CLEAR CACHE`, as Spark's grammar has them:
/// `CACHE LAZY? TABLE multipartIdentifier (OPTIONS options)? (AS? query)?`,
/// `UNCACHE TABLE (IF EXISTS)? multipartIdentifier`, `CLEAR CACHE`.
struct CacheStatementParserTests {
    let query = LogicalPlan.projection([col("a")], input: .filter(bin(col("b"), .greater, int(1)), input: table("t")))

    @Test func cacheTable() {
        expectStatement("CACHE TABLE t", .cacheTable(TableName("t"), query: nil, isLazy: false))
        expectStatement("cache lazy table db.t;", .cacheTable(TableName("db.t"), query: nil, isLazy: true))
        expectStatement("CACHE TABLE parquet.`/data/x.parquet`", .cacheTable(TableName("/data/x.parquet", format: "parquet"), query: nil, isLazy: false))
        expectStatement("CACHE TABLE c AS SELECT a FROM t WHERE b > 1", .cacheTable(TableName("c"), query: query, isLazy: false))
        // AS is optional, as in Spark; so are options with an in-memory storage level.
        expectStatement("CACHE LAZY TABLE c SELECT a FROM t WHERE b > 1", .cacheTable(TableName("c"), query: query, isLazy: true))
        expectStatement("CACHE TABLE c OPTIONS ('storageLevel' 'MEMORY_ONLY') AS (SELECT a FROM t WHERE b > 1)",
                        .cacheTable(TableName("c"), query: query, isLazy: false))
        expectStatement("CACHE TABLE `my table` OPTIONS (storageLevel = 'memory_and_disk')", .cacheTable(TableName("my table"), query: nil, isLazy: false))
        let with = LogicalPlan.projection([col("a")], input: .subqueryAlias("w", input: query))
        expectStatement("CACHE TABLE c AS WITH w AS (SELECT a FROM t WHERE b > 1) SELECT a FROM w",
                        .cacheTable(TableName("c"), query: with, isLazy: false))
    }

    @Test func uncacheAndClear() {
        expectStatement("UNCACHE TABLE t", .uncacheTable(TableName("t"), ifExists: false))
        expectStatement("uncache table if exists db.t", .uncacheTable(TableName("db.t"), ifExists: true))
        expectStatement("UNCACHE TABLE csv.`/x.csv`", .uncacheTable(TableName("/x.csv", format: "csv"), ifExists: false))
        expectStatement("CLEAR CACHE", .clearCache)
    }

    @Test func statementsInAScript() throws {
        let statements = try SQLParser.parseStatements("CACHE TABLE c AS SELECT a FROM t WHERE b > 1; SELECT a FROM c; UNCACHE TABLE c;")
        #expect(statements.count == 3)
        if statements.count == 3 {
            #expect(PlanComparison.same(statements[0], .cacheTable(TableName("c"), query: query, isLazy: false)))
            #expect(PlanComparison.same(statements[2], .uncacheTable(TableName("c"), ifExists: false)))
        }
    }

    @Test func errors() {
        expectSyntaxError("CACHE t", line: 1, column: 7, "expected TABLE")
        expectSyntaxError("CACHE TABLE", line: 1, column: 12, "table name")
        expectSyntaxError("CACHE TABLE c AS", line: 1, column: 17, "a query")
        expectSyntaxError("CACHE TABLE c x", line: 1, column: 15, "a query")
        expectSyntaxError("CACHE TABLE parquet.`/x` AS SELECT 1", line: 1, column: 13, "temporary view, not a path")
        expectSyntaxError("UNCACHE t", line: 1, column: 9, "expected TABLE")
        expectSyntaxError("UNCACHE TABLE IF t", line: 1, column: 18, "EXISTS")
        expectSyntaxError("CLEAR t", line: 1, column: 7, "CACHE")
        expectUnsupported("CACHE TABLE c OPTIONS ('storageLevel' 'DISK_ONLY')", "storage level DISK_ONLY")
        expectUnsupported("CACHE TABLE c OPTIONS ('compression' 'zstd')", "only storageLevel")
    }

    /// The words stay usable as names.
    @Test func wordsAreNotReserved() {
        expectQuery("SELECT cache, uncache, clear, lazy FROM t",
                    .projection([col("cache"), col("uncache"), col("clear"), col("lazy")], input: table("t")))
    }
}
