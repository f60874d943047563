/// Removes `SubqueryAlias` nodes: after analysis column references are unqualified, so aliases
/// only stand between filters and the scans they could reach.
public struct EliminateSubqueryAliases: OptimizerRule {
    public let name = "eliminate_subquery_aliases"
    public init() {}

    public func apply(_ plan: LogicalPlan, _ context: OptimizerContext) throws -> LogicalPlan {
        plan.transformUp { node in
            if case .subqueryAlias(_, let input) = node { return input }
            return node
        }
    }
}
