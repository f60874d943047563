import Columnar
import Query

/// Keeps the rows where the predicate is true (NULL and false rows go).
public final class FilterExec: ExecutionPlan, @unchecked Sendable {
    public let predicate: Expr
    let compiled: CompiledExpression
    public let input: any ExecutionPlan
    public let metrics = OperatorMetrics()

    public init(predicate: Expr, input: any ExecutionPlan) throws {
        self.predicate = predicate
        self.input = input
        compiled = try CompiledExpression.compile(predicate, input: input.schema)
    }

    public var name: String { "FilterExec" }
    public var detail: String { predicate.description }
    public var schema: PlanSchema { input.schema }
    public var children: [any ExecutionPlan] { [input] }
    public var partitionCount: Int { input.partitionCount }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        let compiled = self.compiled
        let stream = MapStream(try input.execute(partition: partition, context: context)) { batch in
            let selected = BatchFilter.apply(try compiled.evaluate(batch), to: batch)
            return selected.rowCount == 0 ? nil : selected
        }
        return MeteredStream(stream, metrics)
    }
}
