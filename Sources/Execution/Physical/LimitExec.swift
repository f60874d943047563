import Columnar
import Query

/// Passes on at most `count` rows after skipping `offset`, per partition. Planned twice like
/// Spark's LocalLimit/GlobalLimit: locally in each task (count + offset, no offset), then over the
/// single partition an exchange gathers.
public final class LimitExec: ExecutionPlan, @unchecked Sendable {
    public let count: Int
    public let offset: Int
    public let isGlobal: Bool
    public let input: any ExecutionPlan
    public let metrics = OperatorMetrics()

    public init(count: Int, offset: Int, isGlobal: Bool, input: any ExecutionPlan) {
        self.count = count
        self.offset = offset
        self.isGlobal = isGlobal
        self.input = input
    }

    public var name: String { isGlobal ? "GlobalLimitExec" : "LocalLimitExec" }
    public var detail: String { offset == 0 ? "\(count)" : "\(count) offset \(offset)" }
    public var schema: PlanSchema { input.schema }
    public var children: [any ExecutionPlan] { [input] }
    public var partitionCount: Int { input.partitionCount }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        MeteredStream(LimitStream(try input.execute(partition: partition, context: context), count: count, offset: offset), metrics)
    }

    final class LimitStream: BatchStream {
        let input: any BatchStream
        var toSkip: Int
        var remaining: Int

        init(_ input: any BatchStream, count: Int, offset: Int) {
            self.input = input
            self.toSkip = offset
            self.remaining = count
        }

        func next() throws -> RecordBatch? {
            while remaining > 0, var batch = try input.next() {
                if toSkip > 0 {
                    let skipped = min(toSkip, batch.rowCount)
                    toSkip -= skipped
                    if skipped == batch.rowCount { continue }
                    batch = batch.slice(skipped..<batch.rowCount)
                }
                if batch.rowCount > remaining { batch = batch.slice(0..<remaining) }
                remaining -= batch.rowCount
                return batch
            }
            return nil
        }
    }
}
