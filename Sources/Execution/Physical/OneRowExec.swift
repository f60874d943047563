import Columnar
import Query

/// One row with no columns: the input of `SELECT 1`.
public final class OneRowExec: ExecutionPlan, @unchecked Sendable {
    public let metrics = OperatorMetrics()
    public init() {}
    public var name: String { "OneRowExec" }
    public var detail: String { "" }
    public var schema: PlanSchema { PlanSchema([]) }
    public var children: [any ExecutionPlan] { [] }
    public var partitionCount: Int { 1 }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        MeteredStream(ArrayStream([RecordBatch(schema: Schema([]), columns: [], rowCount: 1)]), metrics)
    }
}
