import Columnar
import CSV
import Execution
import Query
import Synchronization

/// The session's cached query results, as Spark's CacheManager: `df.cache()` and `CACHE TABLE`
/// register an analyzed plan, and every later query in which that plan appears as a subtree scans
/// the cached rows instead (`useCachedData`).
///
/// Plans match by a canonical text rather than object identity, so a query that names the same
/// file again (`parquet.\`/x\``, `session.read.parquet("/x")`: a new source object each time) still
/// finds the cache. The text is the plan tree without subquery aliases (after analysis, qualifiers
/// no longer matter), literals with their types, each node's output columns and types, and for
/// scans the source's kind, path, options and schema. As in Spark, a cache is not refreshed when
/// its files change; a schema change makes the plans differ and the files are read again.
public final class CacheManager: Sendable {
    struct Entry: Sendable {
        let key: String
        let plan: LogicalPlan
        let source: InMemoryTableSource
    }

    private let state = Mutex<(entries: [Entry], nextID: Int)>(([], 1))

    init() {}

    var isEmpty: Bool { state.withLock { $0.entries.isEmpty } }

    /// Caches `analyzed` lazily (the rows are computed by the first query that scans them);
    /// `name` labels it in plans. Caching a plan that is cached already does nothing (and
    /// returns false).
    @discardableResult
    func cache(_ analyzed: LogicalPlan, name: String?) throws -> Bool {
        let key = try Self.key(of: analyzed)
        let schema = try analyzed.schema().schema
        return state.withLock { state in
            guard !state.entries.contains(where: { $0.key == key }) else { return false }
            let label = name.map { "in-memory table \($0)" } ?? "in-memory relation #\(state.nextID)"
            state.nextID += 1
            state.entries.append(Entry(key: key, plan: analyzed, source: InMemoryTableSource(name: label, schema: schema)))
            return true
        }
    }

    /// Drops the cache of `analyzed`; false when it was not cached.
    @discardableResult
    func uncache(_ analyzed: LogicalPlan) throws -> Bool {
        let key = try Self.key(of: analyzed)
        return state.withLock { state in
            let before = state.entries.count
            state.entries.removeAll { $0.key == key }
            return state.entries.count != before
        }
    }

    func clear() { state.withLock { $0.entries.removeAll() } }

    /// The cached rows of `analyzed`, if it is cached.
    func cachedSource(for analyzed: LogicalPlan) throws -> InMemoryTableSource? {
        let key = try Self.key(of: analyzed)
        return state.withLock { state in state.entries.first { $0.key == key }?.source }
    }

    /// `analyzed` with every largest subtree that a cached plan matches replaced by a scan of the
    /// cached rows. Each cache used that is not complete gets the plan that fills it, optimized
    /// now (and itself reading any other cache it contains).
    func useCachedData(_ analyzed: LogicalPlan) throws -> LogicalPlan {
        let entries = state.withLock { $0.entries }
        guard !entries.isEmpty else { return analyzed }
        return try substitute(analyzed, entries: Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })).plan
    }

    /// The rewritten plan and the key of the original.
    private func substitute(_ plan: LogicalPlan, entries: [String: Entry]) throws -> (plan: LogicalPlan, key: String) {
        let children = try plan.inputs.map { try substitute($0, entries: entries) }
        let key = try Self.key(of: plan, inputKeys: children.map(\.key))
        if let entry = entries[key] {
            if !entry.source.isComplete {
                // Without itself: its plan's subtrees may read other caches.
                var others = entries
                others[key] = nil
                let build = try substitute(entry.plan, entries: others).plan
                entry.source.setBuildPlan(try QueryExecution.optimizer.optimize(build).plan)
            }
            return (.scan(TableScan(source: entry.source, qualifier: Self.qualifier(of: plan))), key)
        }
        let rewritten = children.map(\.plan)
        return (plan.inputs.isEmpty ? plan : plan.withInputs(rewritten), key)
    }

    /// The name the replaced subtree's columns were qualified by, for the scan that stands in.
    private static func qualifier(of plan: LogicalPlan) -> String {
        if case .subqueryAlias(let name, _) = plan { return name }
        return (try? plan.schema().columns.first?.qualifier) ?? "cache"
    }

    // MARK: Canonical text

    static func key(of plan: LogicalPlan) throws -> String {
        try key(of: plan, inputKeys: plan.inputs.map { try key(of: $0) })
    }

    /// One node's canonical text over its inputs' texts, each part prefixed with its length so
    /// that no text (a string literal, a path) can pass for another's structure.
    static func key(of plan: LogicalPlan, inputKeys: [String]) throws -> String {
        if case .subqueryAlias = plan { return inputKeys[0] }
        var node: String
        if case .scan(let scan) = plan {
            node = "Scan \(sourceIdentity(scan.source)) projection=\(scan.projection.map { "\($0)" } ?? "all")"
                + " filters=[\(scan.filters.map(typedText).joined(separator: ", "))] limit=\(scan.limit.map(String.init) ?? "none")"
        } else {
            node = plan.mapExpressions { expr in expr.transformUp(typedLiteral) }.nodeDescription
        }
        node += " -> " + columnsText(try plan.schema())
        var text = framed(node)
        for input in inputKeys { text += framed(input) }
        return "(" + text + ")"
    }

    private static func framed(_ text: String) -> String { "\(text.utf8.count):\(text)" }

    private static func columnsText(_ schema: PlanSchema) -> String {
        "[" + schema.columns.map { "\($0.name) \($0.type.sqlName)\($0.isNullable ? "" : " NOT NULL")" }.joined(separator: ", ") + "]"
    }

    /// A literal as a column named by its value and type, so that `1` (INT) and `1L` (BIGINT) differ.
    private static func typedLiteral(_ expr: Expr) -> Expr {
        guard case .literal(let value) = expr else { return expr }
        return .column(ColumnReference("\(value):\(value.isUntypedNull ? "untyped" : value.type.sqlName)"))
    }

    private static func typedText(_ expr: Expr) -> String { expr.transformUp(typedLiteral).description }

    /// What makes two sources read the same rows: the path and how it is read for files; the
    /// object itself for anything else.
    static func sourceIdentity(_ source: any TableSource) -> String {
        let schema = "schema " + source.schema.fields.map { "\($0.name) \($0.type.sqlName)\($0.isNullable ? "" : " NOT NULL")" }.joined(separator: ", ")
        switch source {
        case let parquet as ParquetTableSource:
            return "parquet \(framed(parquet.path)) \(schema)"
        case let csv as CSVTableSource:
            return "csv \(framed(csv.path)) options \(framed(String(describing: csv.options))) \(schema)"
        default:
            return "\(type(of: source)) \(ObjectIdentifier(source)) \(schema)"
        }
    }
}
