import Columnar
import Query
import Synchronization

/// The small side of a broadcast join: a stage of its own runs the input and collects every
/// row, once; each task of the join then reads all of them (its one partition).
public final class BroadcastExchangeExec: ExchangeStage, @unchecked Sendable {
    public let input: any ExecutionPlan
    public let metrics = OperatorMetrics()
    private let batches = Mutex<[RecordBatch]?>(nil)

    public init(input: any ExecutionPlan) { self.input = input }

    public var name: String { "BroadcastExchangeExec" }
    public var detail: String { "" }
    public var schema: PlanSchema { input.schema }
    public var children: [any ExecutionPlan] { [input] }
    public var partitionCount: Int { 1 }

    var isMaterialized: Bool { batches.withLock { $0 != nil } }

    /// The collected rows' bytes (after the stage ran).
    public var byteSize: Int { batches.withLock { $0?.reduce(0) { $0 + $1.byteSize } ?? 0 } }

    func mapStage(scheduler: StageScheduler) -> StageRun {
        let parts = Mutex<[[RecordBatch]]>(Array(repeating: [], count: input.partitionCount))
        let task: @Sendable (Int, TaskContext) throws -> Int = { partition, context in
            let stream = try self.input.execute(partition: partition, context: context)
            var local: [RecordBatch] = []
            while let batch = try stream.next() {
                try context.checkCancelled()
                if batch.rowCount > 0 { local.append(batch) }
            }
            parts.withLock { $0[partition] = local }
            let rows = local.reduce(0) { $0 + $1.rowCount }
            self.metrics.add(rows: rows)
            return rows
        }
        return StageRun(root: self, input: input, task: task, completed: {
            self.batches.withLock { $0 = parts.withLock { $0.flatMap { $0 } } }
        })
    }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        guard let rows = batches.withLock({ $0 }) else {
            throw ExecutionError.unsupported("broadcast read before its stage ran")
        }
        return ArrayStream(rows)
    }
}
