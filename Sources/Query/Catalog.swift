/// Where the analyzer looks up the tables a query names.
public protocol Catalog: Sendable {
    /// The plan `name` stands for: a temp view's analyzed plan (under a `subqueryAlias` with the
    /// view's name) or a scan of the file or directory a path names. Throws
    /// `QueryError.unresolved(kind: "table", …)` for an unknown name.
    func relation(for name: TableName) throws -> LogicalPlan
}
