import Columnar
import Query

/// Computes the output columns from each input batch; plain column references are passed through.
public final class ProjectExec: ExecutionPlan, @unchecked Sendable {
    public let exprs: [Expr]
    let compiled: [CompiledExpression]
    public let input: any ExecutionPlan
    public let schema: PlanSchema
    public let metrics = OperatorMetrics()

    public init(exprs: [Expr], input: any ExecutionPlan, schema: PlanSchema) throws {
        self.exprs = exprs
        self.input = input
        self.schema = schema
        compiled = try exprs.map { try CompiledExpression.compile($0, input: input.schema) }
    }

    public var name: String { "ProjectExec" }
    public var detail: String { "[" + exprs.map(\.description).joined(separator: ", ") + "]" }
    public var children: [any ExecutionPlan] { [input] }
    public var partitionCount: Int { input.partitionCount }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        let compiled = self.compiled
        let outputSchema = schema.schema
        let stream = MapStream(try input.execute(partition: partition, context: context)) { batch in
            RecordBatch(schema: outputSchema, columns: try compiled.map { try $0.evaluate(batch) }, rowCount: batch.rowCount)
        }
        return MeteredStream(stream, metrics)
    }
}
