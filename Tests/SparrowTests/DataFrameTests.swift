import Columnar
import Foundation
import Query
import Testing
@testable import Execution
@testable import Sparrow

/// The DataFrame API over Fixtures/sql/data/lineitem.parquet. Expected values come from DuckDB:
/// `duckdb.sql("select … from 'Fixtures/sql/data/lineitem.parquet' …")`, quoted with each test.
struct DataFrameTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/sql/data/lineitem.parquet").path

    let session = Session(threads: 2)

    func lineitem() throws -> DataFrame { try session.read.parquet(Self.path) }

    /// Every row as text, `|`-separated, as ScalarValue descriptions (strings unquoted).
    func rows(_ frame: DataFrame) throws -> [String] { rows(try frame.collect()) }

    /// `rows` of batches already collected.
    func rows(_ batches: [RecordBatch]) -> [String] {
        batches.flatMap { batch in
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

    /// select l_returnflag, count(*), sum(l_quantity), max(l_shipdate) … where l_quantity < 10 group by 1 order by 1
    @Test func filterGroupByAggregateOrderBy() throws {
        let frame = try lineitem()
            .filter("l_quantity < 10")
            .groupBy("l_returnflag")
            .agg(countAll().alias("n"), sum(col("l_quantity")), max(col("l_shipdate")))
            .orderBy("l_returnflag")
        #expect(try rows(frame) == ["A|901|4478.00|1995-06-10", "N|1840|9382.00|1998-11-26", "R|883|4357.00|1995-06-10"])
        #expect(try frame.columns == ["l_returnflag", "n", "sum(l_quantity)", "max(l_shipdate)"])
    }

    /// An unaliased select item is named by its text before type coercion, as Spark names it
    /// (Spark 4: `(l_quantity + 1)`, not with the CAST that makes the 1 a decimal), and constant
    /// folding (`1 + 2` into `3`, the CAST into a decimal literal) keeps that name, so ORDER BY
    /// and the result both find it. DuckDB: `select l_quantity + 1, 1 + 2, l_orderkey + (1 + 2) …
    /// order by 1, 3 limit 1` → 2.00, 3, 73; `select l_quantity * 2, count(*) … group by 1 order
    /// by 1 limit 2` → (2.00, 412), (4.00, 401).
    @Test func selectItemsKeepTheirNamesThroughCoercionAndFolding() throws {
        try lineitem().createOrReplaceTempView("lineitem")
        let items = try session.sql("SELECT l_quantity + 1, 1 + 2, l_orderkey + (1 + 2) FROM lineitem ORDER BY 1, 3 LIMIT 1")
        let names = ["(l_quantity + 1)", "(1 + 2)", "(l_orderkey + (1 + 2))"]
        #expect(try items.columns == names)
        let batches = try items.collect()
        #expect(batches.first?.schema.fields.map(\.name) == names)
        #expect(rows(batches) == ["2.00|3|73"])

        let grouped = try session.sql("SELECT l_quantity * 2, count(*) FROM lineitem GROUP BY 1 ORDER BY 1 LIMIT 2")
        #expect(try grouped.columns.first == "(l_quantity * 2)")
        #expect(try rows(grouped) == ["2.00|412", "4.00|401"])

        // Two items of one name stay two columns of that name through `*` (Spark: ['x', 'x']).
        let twins = try session.sql("SELECT * FROM (SELECT 1 AS x, 2 AS x) t")
        #expect(try twins.columns == ["x", "x"])
        let twinBatches = try twins.collect()
        #expect(twinBatches.first?.schema.fields.map(\.name) == ["x", "x"])
        #expect(rows(twinBatches) == ["1|2"])
    }

    /// `toDF` renames every column in order and `withColumnRenamed` one, as in Spark. DuckDB:
    /// `select l_returnflag, count(*) … where l_quantity > 49 group by 1 order by 1` → A 109,
    /// N 213, R 99; `select max(l_quantity) … where l_returnflag = 'A'` → 50.00.
    @Test func toDFAndWithColumnRenamed() throws {
        let renamed = try lineitem().select("l_returnflag", "l_quantity").toDF("flag", "q")
        #expect(try renamed.columns == ["flag", "q"])
        let counts = try renamed.filter("q > 49").groupBy("flag").agg(countAll().alias("n")).orderBy("flag")
        #expect(try rows(counts) == ["A|109", "N|213", "R|99"])
        #expect {
            try lineitem().select("l_returnflag", "l_quantity").toDF("only").collect()
        } throws: { "\($0)".contains("1 column name given (only) for a relation of 2 columns") }

        let quantity = try lineitem().withColumnRenamed("L_QUANTITY", "qty")
        #expect(try quantity.columns.filter { $0.hasPrefix("l_q") || $0 == "qty" } == ["qty"])
        #expect(try rows(try quantity.filter("l_returnflag = 'A'").agg(max(col("qty")))) == ["50.00"])
        #expect(try lineitem().withColumnRenamed("nope", "x").columns == (try lineitem().columns))
    }

    /// select count(*) → 20060; count(distinct l_shipmode) → 7
    @Test func countsAndDistinct() throws {
        #expect(try lineitem().count() == 20060)
        #expect(try lineitem().select("l_shipmode").distinct().count() == 7)
        #expect(try rows(try lineitem().agg(countDistinct(col("l_shipmode")))) == ["7"])
    }

    /// select l_orderkey, l_linenumber, l_extendedprice order by l_extendedprice desc, l_orderkey limit 3
    @Test func orderByLimit() throws {
        let frame = try lineitem().select("l_orderkey", "l_linenumber", "l_extendedprice")
            .orderBy(col("l_extendedprice").desc(), col("l_orderkey").asc()).limit(3)
        #expect(try rows(frame) == ["13159|1|94949.50", "1121|6|94849.50", "10246|1|94849.50"])
    }

    /// select sum(l_quantity) + 1 where l_returnflag = 'R' → 123201.00
    @Test func withColumnAndExpressionsOverAggregates() throws {
        let frame = try lineitem().where(col("l_returnflag") == lit("R")).agg(sum(col("l_quantity")) + lit(1))
        #expect(try rows(frame) == ["123201.00"])
        let doubled = try lineitem().withColumn("twice", col("l_linenumber") * lit(2)).select("twice").limit(1)
        #expect(try doubled.columns == ["twice"])
    }

    @Test func tempViewsAndSQL() throws {
        try lineitem().createOrReplaceTempView("li")
        let frame = try session.sql("SELECT DISTINCT l_linestatus FROM li ORDER BY 1")
        #expect(try rows(frame) == ["F", "O"])
        #expect(throws: QueryError.self) { try session.sql("SELECT * FROM li_typo") }
    }

    /// duckdb: select l_returnflag from '…/lineitem.parquet' group by 1 order by sum(l_quantity) desc → N, A, R
    @Test func orderByAnAggregateThatIsNotSelected() throws {
        try lineitem().createOrReplaceTempView("li")
        let frame = try session.sql("SELECT l_returnflag FROM li GROUP BY 1 ORDER BY sum(l_quantity) DESC")
        #expect(try rows(frame) == ["N", "A", "R"])
        #expect(try frame.columns == ["l_returnflag"])
    }

    @Test func explainNamesTheRulesAndThePushedFilter() throws {
        let text = try lineitem().filter("l_orderkey < 100").select("l_comment").explain(.extended)
        #expect(text.contains("Rules applied:"))
        #expect(text.contains("push_filters_into_scan"))
        #expect(text.contains("PushedFilters: [(l_orderkey < 100)]"))
        #expect(text.contains("RowGroups: 1 of 11"))
    }

    @Test func collectingTooMuchIsAClearError() throws {
        try session.setConf("spark.driver.maxResultSize", "64k")
        #expect {
            try lineitem().collect()
        } throws: { error in
            "\(error)".contains("spark.driver.maxResultSize")
        }
        #expect(try lineitem().count() == 20060)
    }

    @Test func writeParquetRoundTrips() throws {
        let out = NSTemporaryDirectory() + "sparrow-df-write-\(getpid()).parquet"
        defer { try? FileManager.default.removeItem(atPath: out) }
        try lineitem().filter("l_returnflag = 'R'").select("l_orderkey", "l_quantity").write.mode("overwrite").parquet(out)
        // select count(*), sum(l_quantity) where l_returnflag = 'R' → 4818, 123200.00
        #expect(try rows(try session.read.parquet(out).agg(countAll(), sum(col("l_quantity")))) == ["4818|123200.00"])
        #expect(throws: SessionError.self) { try lineitem().write.parquet(out) }
    }
}

/// Constant folding with execution's evaluator: folded literals are what row-group pruning uses.
struct ConstantFoldingTests {
    @Test func dateArithmeticFoldsIntoTheScan() throws {
        let session = Session(threads: 1)
        try session.read.parquet(DataFrameTests.path).createOrReplaceTempView("lineitem")
        let execution = try session.sql("""
            SELECT count(*) FROM lineitem
            WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY AND l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01
            """).queryExecution()
        // TPC-H: 1998-12-01 minus 90 days is 1998-09-02; the decimal bounds keep two digits.
        #expect(execution.appliedRules.contains("constant_folding"))
        let text = execution.optimized.treeString()
        #expect(text.contains("(l_shipdate <= DATE '1998-09-02')"))
        #expect(text.contains("l_discount BETWEEN 0.05 AND 0.07"))
    }

    @Test func overflowIsLeftForExecutionToReport() throws {
        let session = Session(threads: 1)
        let frame = try session.sql("SELECT 2147483647 + 1 AS x")
        #expect(try frame.queryExecution().optimized.treeString().contains("(2147483647 + 1)"))
        #expect {
            try frame.collect()
        } throws: { error in
            "\(error)".contains("overflow")
        }
    }
}

/// Aggregate arguments that share a subexpression compute it once (TPC-H Q1's discounted price).
struct CommonSubexpressionTests {
    @Test func sharedProductIsComputedOnce() throws {
        let session = Session(threads: 1)
        try session.read.parquet(DataFrameTests.path).createOrReplaceTempView("lineitem")
        let frame = try session.sql("""
            SELECT sum(l_extendedprice * (1 - l_discount)), sum(l_extendedprice * (1 - l_discount) * (1 + l_tax))
            FROM lineitem WHERE l_returnflag = 'R'
            """)
        let plan = try frame.queryExecution().physical.treeString()
        #expect(plan.contains("(1 - l_discount) AS _shared0"))
        #expect(plan.contains("(l_extendedprice * _shared0) AS _shared1"))
        // duckdb: select sum(l_extendedprice * (1 - l_discount)), sum(l_extendedprice * (1 - l_discount) * (1 + l_tax))
        //         from 'Fixtures/sql/data/lineitem.parquet' where l_returnflag = 'R'
        let batch = try #require(try frame.collect().first)
        #expect(ColumnScalar.value(of: batch.columns[0], at: 0)?.description == "163698110.6063")
        #expect(ColumnScalar.value(of: batch.columns[1], at: 0)?.description == "170346082.972300")
    }
}
