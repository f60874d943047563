import Columnar
import Query

/// Sorts its single input partition (an exchange gathers the rows first). With a limit it keeps
/// only the first rows while reading (top-N), which is how ORDER BY … LIMIT runs in each task and
/// again after the gather.
public final class SortExec: ExecutionPlan, @unchecked Sendable {
    public let keys: [SortKey]
    let columns: [SortColumn]
    public let limit: Int?
    public let input: any ExecutionPlan
    public let metrics = OperatorMetrics()

    /// `keys` must be plain columns of the input (the planner projects computed keys first).
    public init(keys: [SortKey], limit: Int?, input: any ExecutionPlan) throws {
        self.keys = keys
        self.limit = limit
        self.input = input
        columns = try keys.map { key in
            guard case .column(let reference) = key.expr else {
                throw ExecutionError.unsupported("sort key \(key.expr) is not a column")
            }
            return SortColumn(try input.schema.index(of: reference), ascending: key.ascending, nullsFirst: key.nullsFirst)
        }
    }

    public var name: String { limit == nil ? "SortExec" : "TakeOrderedExec" }
    public var detail: String {
        "[" + keys.map(\.description).joined(separator: ", ") + "]" + (limit.map { " limit=\($0)" } ?? "")
    }
    public var schema: PlanSchema { input.schema }
    public var children: [any ExecutionPlan] { [input] }
    public var partitionCount: Int { input.partitionCount }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        let stream = try input.execute(partition: partition, context: context)
        let sorted: [RecordBatch]
        if let limit {
            var top = try TopN(schema: input.schema.schema, keys: columns, limit: limit)
            while let batch = try stream.next() {
                try context.checkCancelled()
                try top.add(batch)
            }
            sorted = try top.finish()
        } else {
            var batches: [RecordBatch] = []
            while let batch = try stream.next() {
                try context.checkCancelled()
                batches.append(batch)
            }
            sorted = try BatchSorter.sort(batches, by: columns, limit: nil)
        }
        return MeteredStream(ArrayStream(sorted), metrics)
    }
}
