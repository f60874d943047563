import Columnar
import Execution
import Foundation
import Parquet
import Query
import Synchronization

/// The entry point, as Spark's SparkSession: configuration, the catalog of temp views, readers,
/// and SQL.
///
///     let session = Session()
///     let lineitem = try session.read.parquet("lineitem.parquet")
///     try lineitem.createOrReplaceTempView("lineitem")
///     try session.sql("SELECT l_returnflag, count(*) FROM lineitem GROUP BY 1").show()
public final class Session: Sendable {
    public let catalog = SessionCatalog()
    private let config: Mutex<RuntimeConfig>

    public init(threads: Int = ProcessInfoCores.count) {
        config = Mutex(RuntimeConfig(threads: threads))
    }

    public var conf: RuntimeConfig { config.withLock { $0 } }

    public func setConf(_ key: String, _ value: String) throws {
        let datasets = try config.withLock { config in
            try config.set(key, value)
            return config.datasets
        }
        catalog.datasetOptions.withLock { $0 = datasets }
    }

    public var read: DataFrameReader { DataFrameReader(session: self) }

    /// The cached plans that queries read instead of recomputing them.
    var cacheManager: CacheManager { catalog.cacheManager }

    /// A DataFrame over a temp view.
    public func table(_ name: String) throws -> DataFrame {
        DataFrame(session: self, plan: try catalog.relation(for: TableName(name)))
    }

    /// Runs one SQL statement (or the last of several); queries come back as lazy DataFrames.
    public func sql(_ text: String) throws -> DataFrame {
        let statements = try SQLParser.parseStatements(text)
        guard !statements.isEmpty else { throw SessionError.invalidArgument("no SQL statement to run") }
        var last: StatementResult = .done
        for statement in statements { last = try execute(statement) }
        switch last {
        case .rows(let frame): return frame
        case .text(let text): return try textFrame(text, column: "plan")
        case .done: return DataFrame(session: self, plan: .projection([], input: .oneRow))
        case .settings(let pairs): return try settingsFrame(pairs)
        }
    }

    /// What running a statement gives.
    public enum StatementResult {
        /// A query: rows to print (lazy until pulled).
        case rows(DataFrame)
        /// EXPLAIN: the plan text.
        case text(String)
        /// `SET` without a value: key/value pairs.
        case settings([(String, String)])
        /// Statements without output.
        case done
    }

    public func execute(_ statement: Statement) throws -> StatementResult {
        switch statement {
        case .query(let plan):
            // Analyzed now, as Spark does, so a wrong name fails here rather than at the action.
            _ = try Analyzer(catalog: catalog).analyze(plan)
            return .rows(DataFrame(session: self, plan: plan))
        case .explain(let mode, let inner):
            guard case .query(let plan) = inner else { throw QueryError.unsupported("EXPLAIN of a statement other than a query") }
            return .text(try DataFrame(session: self, plan: plan).queryExecution().explainString(mode))
        case .createTempView(let name, let replace, let query):
            let analyzed = try Analyzer(catalog: catalog).analyze(query)
            try catalog.register(view: name, plan: analyzed, replace: replace)
            return .done
        case .dropView(let name, let ifExists):
            if !catalog.drop(view: name) && !ifExists {
                throw QueryError.unresolved(kind: "view", name: name, candidates: NameSuggestions.closest(to: name, among: catalog.viewNames))
            }
            return .done
        case .set(let key, let value):
            guard let key else { return .settings(conf.entries.map { ($0.key, $0.value) }) }
            guard let value else { return .settings([(key, conf.get(key) ?? "<undefined>")]) }
            try setConf(key, value)
            return .done
        case .insertDirectory(let insert):
            return .rows(try insertDirectory(insert))
        case .cacheTable(let name, let query, let isLazy):
            try cacheTable(name, query: query, isLazy: isLazy)
            return .done
        case .uncacheTable(let name, let ifExists):
            if ifExists && !tableExists(name) { return .done }
            try cacheManager.uncache(try catalog.relation(for: name))
            return .done
        case .clearCache:
            catalog.clearCache()
            return .done
        }
    }

    /// `CACHE [LAZY] TABLE name [AS query]`: registers the query as a temp view first, marks the
    /// table cached and, unless lazy, fills the cache now by counting its rows (as Spark does).
    /// When filling fails, the cache and the view it created are dropped again.
    func cacheTable(_ name: TableName, query: LogicalPlan?, isLazy: Bool) throws {
        if let query {
            let analyzed = try Analyzer(catalog: catalog).analyze(query)
            try catalog.register(view: name.name, plan: analyzed, replace: false)
        }
        var added: LogicalPlan?
        do {
            let relation = try catalog.relation(for: name)
            if try cacheManager.cache(relation, name: name.description) { added = relation }
            if !isLazy { _ = try DataFrame(session: self, plan: relation).count() }
        } catch {
            if let added { _ = try? cacheManager.uncache(added) }
            if query != nil { catalog.drop(view: name.name) }
            throw error
        }
    }

    /// Whether `name` names a view, or a file or directory that is there.
    func tableExists(_ name: TableName) -> Bool {
        if name.format != nil {
            return FileManager.default.fileExists(atPath: name.name)
        }
        return catalog.viewNames.contains(name.name.lowercased())
    }

    /// Runs `INSERT OVERWRITE|INTO DIRECTORY` now, as Spark runs commands, and gives the summary
    /// as one row: path, partitions, files, rows, bytes.
    func insertDirectory(_ insert: DirectoryInsert) throws -> DataFrame {
        let writer = insert.options.reduce(DataFrame(session: self, plan: insert.query).write) { $0.option($1.key, $1.value) }
            .partitionBy(insert.partitionColumns)
        let mode: DatasetWriteMode = !insert.overwrite ? .append : try writer.dynamicPartitionOverwrite ? .overwritePartitions : .overwrite
        let report = try writer.writeDataset(to: insert.path, mode: mode)
        let values: [(String, ScalarValue)] = [
            ("path", .string(insert.path)), ("partitions", .int64(Int64(report.partitions))), ("files", .int64(Int64(report.files.count))),
            ("rows", .int64(Int64(report.rows))), ("bytes", .int64(Int64(report.bytes))),
        ]
        return DataFrame(session: self, plan: .projection(values.map { .alias(.literal($1), name: $0) }, input: .oneRow))
    }

    func textFrame(_ text: String, column: String) throws -> DataFrame {
        DataFrame(session: self, plan: .projection([.alias(.literal(.string(text)), name: column)], input: .oneRow))
    }

    func settingsFrame(_ pairs: [(String, String)]) throws -> DataFrame {
        let rows = pairs.map { LogicalPlan.projection([.alias(.literal(.string($0.0)), name: "key"), .alias(.literal(.string($0.1)), name: "value")], input: .oneRow) }
        if rows.isEmpty {
            return DataFrame(session: self, plan: .limit(0, offset: 0, input: .projection([.alias(.literal(.string("")), name: "key"), .alias(.literal(.string("")), name: "value")], input: .oneRow)))
        }
        return DataFrame(session: self, plan: rows.count == 1 ? rows[0] : .unionAll(rows))
    }
}
