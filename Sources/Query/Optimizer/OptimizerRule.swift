/// One rewrite of the optimizer. Rules keep the plan's result the same; each has the snake_case
/// name EXPLAIN shows (`push_down_filter`).
public protocol OptimizerRule: Sendable {
    var name: String { get }
    func apply(_ plan: LogicalPlan, _ context: OptimizerContext) throws -> LogicalPlan
}

/// What rules may need from outside the Query module.
public struct OptimizerContext: Sendable {
    /// Evaluates an expression without column references to a value (execution's kernels do it);
    /// nil when it cannot be folded. Constant folding uses it.
    public var evaluateConstant: @Sendable (Expr) throws -> ScalarValue?

    public init(evaluateConstant: @escaping @Sendable (Expr) throws -> ScalarValue?) {
        self.evaluateConstant = evaluateConstant
    }
}
