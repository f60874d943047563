/// Gives a scan the conjuncts of the filter directly above it, so the reader can skip row groups
/// whose statistics prove no row matches. The filter stays: the rows of the row groups that are
/// read still have to be filtered.
public struct PushFiltersIntoScan: OptimizerRule {
    public let name = "push_filters_into_scan"
    public init() {}

    public func apply(_ plan: LogicalPlan, _ context: OptimizerContext) throws -> LogicalPlan {
        plan.transformUp { node in
            guard case .filter(let predicate, .scan(var scan)) = node, scan.source.supportsFilterPruning else { return node }
            let conjuncts = predicate.conjuncts
            guard scan.filters != conjuncts else { return node }
            scan.filters = conjuncts
            return .filter(predicate, input: .scan(scan))
        }
    }
}
