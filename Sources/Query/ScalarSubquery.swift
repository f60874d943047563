/// `(SELECT …)` used as a value, as the parser reads it. The analyzer supports the ones that
/// aggregate without GROUP BY and do not name the outer query's columns: such a query has exactly
/// one row, which is joined to the rows that use it (see `Analyzer.joiningScalarSubqueries`).
public final class ScalarSubquery: Hashable, Sendable, CustomStringConvertible {
    public let query: LogicalPlan

    public init(query: LogicalPlan) { self.query = query }

    // Plans cannot be compared, so a subquery is only ever equal to itself.
    public static func == (a: ScalarSubquery, b: ScalarSubquery) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    public var description: String { "(scalar subquery)" }
}
