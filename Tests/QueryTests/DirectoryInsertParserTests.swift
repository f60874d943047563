import Testing
@testable import Query

/// `INSERT OVERWRITE DIRECTORY`, as Spark's grammar has it (`INSERT OVERWRITE LOCAL? DIRECTORY
/// path? USING provider (OPTIONS options)? query`), plus Sparrow's `PARTITIONED BY (…)` and
/// `INSERT INTO DIRECTORY`.
struct DirectoryInsertParserTests {
    let query = LogicalPlan.projection([col("a"), col("b")], input: table("t"))

    @Test func parsesTheStatement() {
        expectStatement("INSERT OVERWRITE DIRECTORY '/out' USING parquet SELECT a, b FROM t",
                        .insertDirectory(DirectoryInsert(path: "/out", format: "parquet", options: [], partitionColumns: [],
                                                         overwrite: true, query: query)))
        expectStatement("""
            insert overwrite directory '/out' using PARQUET
            options ('compression' = 'snappy', maxRecordsPerFile 1000, "partitionOverwriteMode" = 'dynamic')
            partitioned by (b, `a`) select a, b from t
            """,
                        .insertDirectory(DirectoryInsert(path: "/out", format: "parquet",
                                                         options: [("compression", "snappy"), ("maxRecordsPerFile", "1000"),
                                                                   ("partitionOverwriteMode", "dynamic")],
                                                         partitionColumns: ["b", "a"], overwrite: true, query: query)))
        // The path as an option (Spark's other spelling); INTO adds files.
        expectStatement("INSERT INTO DIRECTORY USING parquet OPTIONS (path '/out') PARTITIONED BY (a) (SELECT a, b FROM t)",
                        .insertDirectory(DirectoryInsert(path: "/out", format: "parquet", options: [], partitionColumns: ["a"],
                                                         overwrite: false, query: query)))
        let with = LogicalPlan.projection([col("a"), col("b")], input: .subqueryAlias("x", input: query))
        expectStatement("INSERT OVERWRITE DIRECTORY '/out' USING parquet WITH x AS (SELECT a, b FROM t) SELECT a, b FROM x",
                        .insertDirectory(DirectoryInsert(path: "/out", format: "parquet", options: [], partitionColumns: [],
                                                         overwrite: true, query: with)))
    }

    @Test func rejectsWhatItDoesNotWrite() {
        expectUnsupported("INSERT INTO t VALUES (1)", "INSERT statements into tables")
        expectUnsupported("INSERT OVERWRITE TABLE t SELECT 1", "INSERT statements into tables")
        expectUnsupported("INSERT OVERWRITE LOCAL DIRECTORY '/out' SELECT 1", "LOCAL DIRECTORY")
        expectUnsupported("INSERT OVERWRITE DIRECTORY '/out' USING csv SELECT 1", "writing the csv format")
        expectSyntaxError("INSERT OVERWRITE DIRECTORY USING parquet SELECT 1", line: 1, column: 1, "needs the directory")
        expectSyntaxError("INSERT OVERWRITE DIRECTORY '/a' USING parquet OPTIONS (path '/b') SELECT 1", line: 1, column: 56, "not both")
        expectSyntaxError("INSERT OVERWRITE DIRECTORY '/out' SELECT 1", line: 1, column: 35, "USING")
        expectSyntaxError("INSERT OVERWRITE DIRECTORY '/out' USING parquet PARTITIONED BY () SELECT 1", line: 1, column: 65, "partition column")
        expectSyntaxError("INSERT OVERWRITE DIRECTORY '/out' USING parquet PARTITIONED BY (a)", line: 1, column: 67, "query")
    }

    /// The new words stay usable as names.
    @Test func newKeywordsAreNotReserved() {
        expectQuery("SELECT insert, into, overwrite, directory, partitioned, local FROM t",
                    .projection([col("insert"), col("into"), col("overwrite"), col("directory"), col("partitioned"), col("local")],
                                input: table("t")))
    }
}
