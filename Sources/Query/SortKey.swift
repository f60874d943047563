/// One key of an ORDER BY.
public struct SortKey: Hashable, Sendable, CustomStringConvertible {
    public var expr: Expr
    public var ascending: Bool
    /// Where NULLs go; Spark's default is first for ascending, last for descending.
    public var nullsFirst: Bool

    public init(_ expr: Expr, ascending: Bool = true, nullsFirst: Bool? = nil) {
        self.expr = expr
        self.ascending = ascending
        self.nullsFirst = nullsFirst ?? ascending
    }

    public var description: String {
        "\(expr) \(ascending ? "ASC" : "DESC") NULLS \(nullsFirst ? "FIRST" : "LAST")"
    }
}
