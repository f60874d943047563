/// `x [NOT] IN (SELECT …)` or `[NOT] EXISTS (SELECT …)` as the parser reads it. The analyzer turns
/// each one that is a condition of a WHERE clause's top-level AND into a left semi join (anti for
/// NOT), as Spark's RewritePredicateSubquery does; anywhere else it is an error.
public final class SubqueryPredicate: Hashable, Sendable, CustomStringConvertible {
    /// The value looked for, for IN; nil for EXISTS.
    public let value: Expr?
    public let query: LogicalPlan
    public let negated: Bool

    public init(value: Expr?, query: LogicalPlan, negated: Bool) {
        self.value = value
        self.query = query
        self.negated = negated
    }

    /// This predicate looking for `value` instead.
    func with(value: Expr?) -> SubqueryPredicate { SubqueryPredicate(value: value, query: query, negated: negated) }

    // Plans cannot be compared, so a subquery is only ever equal to itself.
    public static func == (a: SubqueryPredicate, b: SubqueryPredicate) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    public var description: String {
        let not = negated ? "NOT " : ""
        return value.map { "\($0) \(not)IN (subquery)" } ?? "\(not)EXISTS (subquery)"
    }
}
