/// Replaces subexpressions without column references by their value (`DATE '1998-12-01' -
/// INTERVAL 90 DAY` becomes `DATE '1998-09-02'`, `0.06 + 0.01` becomes `0.07`), so filters compare
/// columns with literals, which row-group pruning can use.
public struct ConstantFolding: OptimizerRule {
    public let name = "constant_folding"
    public init() {}

    public func apply(_ plan: LogicalPlan, _ context: OptimizerContext) throws -> LogicalPlan {
        try plan.transformUp { node in try node.mapExpressionsKeepingNames { try fold($0, context) } }
    }

    func fold(_ expr: Expr, _ context: OptimizerContext) throws -> Expr {
        try expr.transformUp { e in
            switch e {
            case .literal, .column, .star, .aggregate, .alias: return e
            default:
                guard e.columnReferences.isEmpty, !e.containsAggregate,
                      e.children.allSatisfy({ if case .literal = $0 { true } else { false } }) else { return e }
                // A value that cannot be computed (an overflow) stays for execution to report.
                guard let value = try? context.evaluateConstant(e) else { return e }
                return .literal(value)
            }
        }
    }
}
