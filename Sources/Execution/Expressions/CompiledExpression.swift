import Columnar
import Query

/// A scalar expression compiled for one input schema, evaluated a whole batch at a time.
///
/// Compilation resolves column references to positions and picks, for every node, the kernel
/// specialised for its operand types (see `Kernel`); constants are folded. Evaluation then
/// runs typed loops over whole columns: no per-row interpretation, no type switch per value.
/// The input is what the analyzer produces: resolved, with operands coerced to the types each
/// operator takes (`TypeCoercion`). Compiled expressions are immutable and can be evaluated
/// from several threads at once.
public final class CompiledExpression: Sendable {
    /// The type of the values `evaluate` returns.
    public let type: DataType
    /// The SQL text of the expression, for messages.
    public let text: String
    let kernel: Kernel

    init(kernel: Kernel, text: String) {
        self.type = kernel.type
        self.kernel = kernel
        self.text = text
    }

    /// Compiles `expr` against the columns of `input`; throws `QueryError` or
    /// `ExecutionError.unsupported` for an expression it cannot evaluate (an aggregate, an
    /// unknown function, an unsupported type), and `ExecutionError.arithmetic` for invalid
    /// constant arguments (an unknown `date_trunc` unit).
    public static func compile(_ expr: Expr, input: PlanSchema) throws -> CompiledExpression {
        CompiledExpression(kernel: try ExpressionCompiler(schema: input).compile(expr), text: expr.description)
    }

    /// True when the expression does not depend on the input rows.
    public var isConstant: Bool { kernel.isConstant }

    /// The values of the expression for each row of `batch` (`batch.rowCount` of them).
    ///
    /// A result may be dictionary-encoded (a string function of a dictionary-encoded column is
    /// computed once per dictionary entry) and a constant becomes a one-entry dictionary for
    /// strings. Throws `ExecutionError.arithmetic` on integer overflow and other values that
    /// cannot be computed.
    public func evaluate(_ batch: RecordBatch) throws -> Column {
        let result = try kernel.run(batch)
        return result.isScalar ? result.broadcast(batch.rowCount) : result.column
    }
}
