import Execution
import Foundation
import Query
import Synchronization

/// The session's tables: temp views by name (analyzed plans), and files named by path
/// (`parquet.\`/data/x.parquet\``), whose footers are read once per query.
public final class SessionCatalog: Catalog, Sendable {
    private let views = Mutex<[String: LogicalPlan]>([:])
    /// How directories are read; the session keeps it in step with its configuration.
    let datasetOptions = Mutex(DatasetOptions())
    /// The session's cached plans (`df.cache()`, `CACHE TABLE`).
    let cacheManager = CacheManager()

    public init() {}

    /// Registers a temp view. Replacing a view with a different plan drops the old plan's cache,
    /// as Spark does.
    public func register(view name: String, plan: LogicalPlan, replace: Bool) throws {
        let replaced = try views.withLock { views in
            if !replace, views[name.lowercased()] != nil {
                throw QueryError.invalid("temp view '\(name)' already exists; use CREATE OR REPLACE TEMP VIEW")
            }
            return views.updateValue(plan, forKey: name.lowercased())
        }
        if let replaced, !cacheManager.isEmpty, try CacheManager.key(of: replaced) != CacheManager.key(of: plan) {
            try cacheManager.uncache(replaced)
        }
    }

    /// Removes a view and drops its cache; false when there was none.
    @discardableResult
    public func drop(view name: String) -> Bool {
        guard let dropped = views.withLock({ $0.removeValue(forKey: name.lowercased()) }) else { return false }
        _ = try? cacheManager.uncache(dropped)
        return true
    }

    public var viewNames: [String] { views.withLock { Array($0.keys).sorted() } }

    public func relation(for name: TableName) throws -> LogicalPlan {
        if let format = name.format {
            return try relation(path: name.name, format: format, options: datasetOptions.withLock { $0 })
        }
        if let view = views.withLock({ $0[name.name.lowercased()] }) {
            return .subqueryAlias(name.name, input: view)
        }
        throw QueryError.unresolved(kind: "table or view", name: name.name,
                                    candidates: NameSuggestions.closest(to: name.name, among: viewNames))
    }

    // MARK: Caching (Spark's Catalog.cacheTable & co.)

    /// Whether the table or view's rows are cached (or marked to be, by a lazy cache).
    public func isCached(_ name: String) throws -> Bool {
        try cacheManager.cachedSource(for: relation(for: TableName(name))) != nil
    }

    /// Caches a table or view lazily: the first query that reads it fills the cache.
    public func cacheTable(_ name: String) throws {
        try cacheManager.cache(relation(for: TableName(name)), name: name)
    }

    /// Drops a table or view's cache; an unknown name is an error, a table that is not cached is not.
    public func uncacheTable(_ name: String) throws {
        try cacheManager.uncache(relation(for: TableName(name)))
    }

    /// Drops every cached table and DataFrame.
    public func clearCache() { cacheManager.clear() }

    /// A file or directory as a relation named after it.
    func relation(path: String, format: String, options: DatasetOptions) throws -> LogicalPlan {
        let source = try Self.source(path: path, format: format, options: options)
        return .subqueryAlias(Self.displayName(path), input: .scan(TableScan(source: source, qualifier: Self.displayName(path))))
    }

    /// A table source for a file or, for Parquet, a directory of files (a Hive-partitioned
    /// dataset); `format` is `parquet` or `csv`.
    public static func source(path: String, format: String, options: DatasetOptions = DatasetOptions()) throws -> any TableSource {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ExecutionError.input(path: path, detail: "no such file or directory")
        }
        switch format.lowercased() {
        case "parquet": return try ParquetTableSource(path: path, options: options)
        case "csv":
            if isDirectory.boolValue { throw ExecutionError.input(path: path, detail: "is a directory; CSV tables are single files") }
            return try CSVTableSource(path: path)
        default: throw QueryError.unsupported("the \(format) format; Sparrow reads parquet and csv")
        }
    }

    /// The format a path's extension suggests (directories are Parquet datasets).
    public static func format(ofPath path: String) -> String {
        CSVTableSource.isCSVPath(path) ? "csv" : "parquet"
    }

    /// The file name without directories and extensions, as a qualifier (`lineitem`).
    static func displayName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.split(separator: ".").first.map(String.init) ?? file
    }
}
