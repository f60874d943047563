import Columnar
import Query

/// The partitions of all inputs, one after another (UNION ALL moves no data).
public final class UnionExec: ExecutionPlan, @unchecked Sendable {
    public let inputs: [any ExecutionPlan]
    public let schema: PlanSchema
    public let metrics = OperatorMetrics()

    public init(inputs: [any ExecutionPlan], schema: PlanSchema) {
        self.inputs = inputs
        self.schema = schema
    }

    public var name: String { "UnionExec" }
    public var detail: String { "" }
    public var children: [any ExecutionPlan] { inputs }
    public var partitionCount: Int { inputs.reduce(0) { $0 + $1.partitionCount } }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        var index = partition
        for input in inputs {
            if index < input.partitionCount {
                let outputSchema = schema.schema
                // Inputs' columns may be named differently; the union's names win.
                let stream = MapStream(try input.execute(partition: index, context: context)) { batch in
                    RecordBatch(schema: outputSchema, columns: batch.columns, rowCount: batch.rowCount)
                }
                return MeteredStream(stream, metrics)
            }
            index -= input.partitionCount
        }
        throw ExecutionError.unsupported("union partition \(partition) out of range")
    }
}
