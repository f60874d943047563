/// One SQL statement, as the parser produces it.
public indirect enum Statement: Sendable {
    /// `SELECT …`, `WITH … SELECT …`, `(SELECT …) UNION ALL …`, `VALUES`-free queries.
    case query(LogicalPlan)
    /// `EXPLAIN [EXTENDED|FORMATTED|LOGICAL] statement`.
    case explain(ExplainMode, Statement)
    /// `CREATE [OR REPLACE] TEMP VIEW name AS query`.
    case createTempView(name: String, replace: Bool, query: LogicalPlan)
    /// `DROP VIEW [IF EXISTS] name`.
    case dropView(name: String, ifExists: Bool)
    /// `SET key=value` sets a configuration key; `SET key` shows one; `SET` shows all that were set.
    case set(key: String?, value: String?)
    /// `INSERT OVERWRITE DIRECTORY '/path' USING parquet [OPTIONS (…)] [PARTITIONED BY (…)] query`,
    /// or `INSERT INTO DIRECTORY …` to add files.
    case insertDirectory(DirectoryInsert)
    /// `CACHE [LAZY] TABLE name [OPTIONS (…)] [[AS] query]`: caches a table or view, or with a
    /// query first registers it as a temp view named `name`. Eager (the rows are computed now)
    /// unless LAZY.
    case cacheTable(TableName, query: LogicalPlan?, isLazy: Bool)
    /// `UNCACHE TABLE [IF EXISTS] name`.
    case uncacheTable(TableName, ifExists: Bool)
    /// `CLEAR CACHE`: drops every cached table and DataFrame of the session.
    case clearCache
}

/// How much EXPLAIN shows.
public enum ExplainMode: String, Sendable {
    /// The physical plan only.
    case simple
    /// Parsed, analyzed and optimized logical plans, and the physical plan.
    case extended
    /// The physical plan with each operator's details on its own lines.
    case formatted
}
