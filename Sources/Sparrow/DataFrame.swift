import Columnar
import Execution
import Query

/// A lazy query, as Spark's DataFrame: transformations build a logical plan; actions (`collect`,
/// `count`, `show`, `write`) analyze, optimize and run it.
public struct DataFrame: Sendable {
    public let session: Session
    public let plan: LogicalPlan

    public init(session: Session, plan: LogicalPlan) {
        self.session = session
        self.plan = plan
    }

    func with(_ plan: LogicalPlan) -> DataFrame { DataFrame(session: session, plan: plan) }

    // MARK: Transformations

    public func select(_ columns: String...) -> DataFrame { select(columns.map { Expr.col($0) }) }
    public func select(_ exprs: Expr...) -> DataFrame { select(exprs) }
    public func select(_ exprs: [Expr]) -> DataFrame { with(.projection(exprs, input: plan)) }

    /// Selects SQL expressions: `df.selectExpr("a + 1 AS b", "upper(c)")`.
    public func selectExpr(_ exprs: String...) throws -> DataFrame {
        with(.projection(try exprs.map { try SQLParser.parseExpression($0) }, input: plan))
    }

    public func filter(_ condition: Expr) -> DataFrame { with(.filter(condition, input: plan)) }
    /// Filters by a SQL condition: `df.filter("l_quantity < 24")`.
    public func filter(_ condition: String) throws -> DataFrame { filter(try SQLParser.parseExpression(condition)) }
    public func `where`(_ condition: Expr) -> DataFrame { filter(condition) }
    public func `where`(_ condition: String) throws -> DataFrame { try filter(condition) }

    /// Adds a column, or replaces the one with that name.
    public func withColumn(_ name: String, _ expr: Expr) throws -> DataFrame {
        let columns = try schema().columns
        var exprs = columns.map { Expr.column(ColumnReference($0.name)) }
        if let i = columns.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
            exprs[i] = .alias(expr, name: name)
        } else {
            exprs.append(.alias(expr, name: name))
        }
        return select(exprs)
    }

    /// Renames every column, in order, as Spark's `toDF("a", "b")`; the names must be as many as
    /// the columns (checked when the plan is analyzed).
    public func toDF(_ names: String...) -> DataFrame { with(.columnAliases(names, input: plan)) }

    /// Renames column `existing` to `name`; without such a column, the DataFrame as it is (as Spark).
    public func withColumnRenamed(_ existing: String, _ name: String) throws -> DataFrame {
        let columns = try schema().columns
        guard columns.contains(where: { $0.name.lowercased() == existing.lowercased() }) else { return self }
        return select(columns.map { column in
            let reference = Expr.column(ColumnReference(column.name))
            return column.name.lowercased() == existing.lowercased() ? .alias(reference, name: name) : reference
        })
    }

    public func groupBy(_ columns: String...) -> GroupedData { GroupedData(frame: self, keys: columns.map { Expr.col($0) }) }
    public func groupBy(_ exprs: Expr...) -> GroupedData { GroupedData(frame: self, keys: exprs) }

    /// A global aggregate: `df.agg(sum(col("x")))`.
    public func agg(_ exprs: Expr...) -> DataFrame { GroupedData(frame: self, keys: []).agg(exprs) }

    public func orderBy(_ columns: String...) -> DataFrame { orderBy(columns.map { SortKey(.col($0)) }) }
    public func orderBy(_ keys: SortKey...) -> DataFrame { orderBy(keys) }
    public func orderBy(_ keys: [SortKey]) -> DataFrame { with(.sort(keys, input: plan)) }
    public func sort(_ keys: SortKey...) -> DataFrame { orderBy(keys) }

    public func limit(_ count: Int) -> DataFrame { with(.limit(max(0, count), offset: 0, input: plan)) }
    public func distinct() -> DataFrame { with(.distinct(plan)) }
    public func union(_ other: DataFrame) -> DataFrame { with(.unionAll([plan, other.plan])) }
    public func unionAll(_ other: DataFrame) -> DataFrame { union(other) }
    /// Names the DataFrame so its columns can be qualified (`t.a`).
    public func alias(_ name: String) -> DataFrame { with(.subqueryAlias(name, input: plan)) }

    public func createOrReplaceTempView(_ name: String) throws {
        try session.catalog.register(view: name, plan: try Analyzer(catalog: session.catalog).analyze(plan), replace: true)
    }

    public func createTempView(_ name: String) throws {
        try session.catalog.register(view: name, plan: try Analyzer(catalog: session.catalog).analyze(plan), replace: false)
    }

    // MARK: Caching

    /// Marks this DataFrame's rows to be cached in memory, as Spark's `cache()`: the first action
    /// that needs them computes and keeps them, and every later query of the session whose plan
    /// contains this one reads them instead of recomputing (or rereading files).
    @discardableResult
    public func cache() throws -> DataFrame {
        try session.cacheManager.cache(try analyzedPlan(), name: nil)
        return self
    }

    /// The same as `cache()`: Sparrow keeps cached rows in memory only.
    @discardableResult
    public func persist() throws -> DataFrame { try cache() }

    /// Drops the cache of this DataFrame's rows; later queries compute them again.
    @discardableResult
    public func unpersist() throws -> DataFrame {
        try session.cacheManager.uncache(try analyzedPlan())
        return self
    }

    /// Whether this DataFrame's rows are cached (or marked to be, until an action fills the cache).
    public var isCached: Bool {
        get throws { try session.cacheManager.cachedSource(for: try analyzedPlan()) != nil }
    }

    func analyzedPlan() throws -> LogicalPlan { try Analyzer(catalog: session.catalog).analyze(plan) }

    // MARK: Actions

    public func queryExecution() throws -> QueryExecution { try QueryExecution(parsed: plan, session: session) }

    public func schema() throws -> PlanSchema { try Analyzer(catalog: session.catalog).analyze(plan).schema() }

    public var columns: [String] { get throws { try schema().columns.map(\.name) } }

    /// Every row, in batches (bounded by spark.driver.maxResultSize).
    public func collect() throws -> [RecordBatch] { try queryExecution().collect() }

    public func count() throws -> Int {
        let counted = with(.aggregate(groupBy: [], aggregates: [.alias(.aggregate(.count, arguments: [], distinct: false), name: "count")], input: plan))
        let batches = try counted.collect()
        guard let batch = batches.first, batch.rowCount == 1 else { return 0 }
        return Int(batch.columns[0].fixedWidthValue(at: 0, as: Int64.self))
    }

    /// The first `rows` rows as a table, as Spark's `show()` prints them.
    public func show(_ rows: Int = 20) throws {
        let batches = try limit(rows).collect()
        var output = BufferBuilder(capacity: 1 << 12)
        var formatter = TableFormatter()
        formatter.begin(schema: try schema().schema, to: &output)
        for batch in batches { formatter.write(batch, to: &output) }
        formatter.finish(to: &output)
        print(String(decoding: output.finish().withUnsafeBytes { Array($0) }, as: UTF8.self), terminator: "")
    }

    /// The plans EXPLAIN prints.
    public func explain(_ mode: ExplainMode = .simple) throws -> String { try queryExecution().explainString(mode) }

    public var write: DataFrameWriter { DataFrameWriter(frame: self) }
}
