/// Rewrites an analyzed plan with the rules below until none changes it, and records which rules
/// fired for EXPLAIN.
public struct Optimizer: Sendable {
    public var rules: [any OptimizerRule]
    public var context: OptimizerContext
    /// Passes over all rules at most; plans settle in two or three.
    public var maxPasses = 10

    public static let defaultRules: [any OptimizerRule] = [
        EliminateSubqueryAliases(),
        ConstantFolding(),
        SimplifyBooleanExpressions(),
        PushDownFilter(),
        PushDownLimit(),
        PruneColumns(),
        PushFiltersIntoScan(),
    ]

    public init(rules: [any OptimizerRule] = Optimizer.defaultRules, context: OptimizerContext) {
        self.rules = rules
        self.context = context
    }

    /// The optimized plan and the names of the rules that changed it, in the order they first did.
    public func optimize(_ plan: LogicalPlan) throws -> (plan: LogicalPlan, appliedRules: [String]) {
        var current = plan
        var text = current.treeString()
        var applied: [String] = []
        for _ in 0..<maxPasses {
            var changed = false
            for rule in rules {
                let next = try rule.apply(current, context)
                let nextText = next.treeString()
                if nextText != text {
                    current = next
                    text = nextText
                    changed = true
                    if !applied.contains(rule.name) { applied.append(rule.name) }
                }
            }
            if !changed { break }
        }
        return (current, applied)
    }
}
