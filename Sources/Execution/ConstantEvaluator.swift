import Columnar
import Query

/// Evaluates expressions without column references, for the optimizer's constant folding.
public enum ConstantEvaluator {
    /// The value of `expr`, or nil when it has no scalar form (intervals, nested values).
    public static func evaluate(_ expr: Expr) throws -> ScalarValue? {
        let compiled = try CompiledExpression.compile(expr, input: PlanSchema([]))
        let column = try compiled.evaluate(RecordBatch(schema: Schema([]), columns: [], rowCount: 1))
        guard column.count == 1 else { return nil }
        return ColumnScalar.value(of: column, at: 0)
    }
}
