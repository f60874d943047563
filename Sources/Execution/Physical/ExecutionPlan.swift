import Columnar
import Query

/// A physical operator. Its output is split into `partitionCount` partitions; a task runs
/// `execute(partition:)` and pulls the batches of one partition through the operators of its stage.
public protocol ExecutionPlan: AnyObject, Sendable {
    /// `FilterExec`, `HashAggregateExec`… as EXPLAIN shows it.
    var name: String { get }
    /// The operator's arguments for EXPLAIN (`[l_shipdate <= DATE '1998-09-02']`).
    var detail: String { get }
    var schema: PlanSchema { get }
    var children: [any ExecutionPlan] { get }
    var partitionCount: Int { get }
    var metrics: OperatorMetrics { get }
    func execute(partition: Int, context: TaskContext) throws -> any BatchStream
}

/// The batches of one partition, pulled one at a time.
public protocol BatchStream: AnyObject {
    /// The next batch, or nil when the partition is done.
    func next() throws -> RecordBatch?
}

extension ExecutionPlan {
    /// The plan as an indented tree, each line with the operator's metrics when `withMetrics`.
    public func treeString(withMetrics: Bool = false) -> String {
        var lines: [String] = []
        appendTree(&lines, prefix: "", childPrefix: "", withMetrics: withMetrics)
        return lines.joined(separator: "\n")
    }

    func appendTree(_ lines: inout [String], prefix: String, childPrefix: String, withMetrics: Bool) {
        var line = prefix + name + (detail.isEmpty ? "" : " " + detail)
        if withMetrics { line += "  " + metrics.summary }
        lines.append(line)
        for (i, child) in children.enumerated() {
            let last = i == children.count - 1
            child.appendTree(&lines, prefix: childPrefix + "+- ", childPrefix: childPrefix + (last ? "   " : ":  "), withMetrics: withMetrics)
        }
    }
}

/// Wraps a stream to count the rows and batches an operator outputs and the time spent in it
/// (including its inputs, as Spark's "time" metrics do not; `exclusive` subtracts them).
final class MeteredStream: BatchStream {
    let inner: any BatchStream
    let metrics: OperatorMetrics

    init(_ inner: any BatchStream, _ metrics: OperatorMetrics) {
        self.inner = inner
        self.metrics = metrics
    }

    func next() throws -> RecordBatch? {
        let batch = try inner.next()
        if let batch { metrics.add(rows: batch.rowCount) }
        return batch
    }
}

/// A stream over batches already in memory.
final class ArrayStream: BatchStream {
    var batches: ArraySlice<RecordBatch>

    init(_ batches: [RecordBatch]) { self.batches = batches[...] }

    func next() throws -> RecordBatch? { batches.popFirst() }
}

/// A stream that calls a function for each batch.
final class MapStream: BatchStream {
    let input: any BatchStream
    let transform: (RecordBatch) throws -> RecordBatch?

    init(_ input: any BatchStream, _ transform: @escaping (RecordBatch) throws -> RecordBatch?) {
        self.input = input
        self.transform = transform
    }

    func next() throws -> RecordBatch? {
        while let batch = try input.next() {
            if let result = try transform(batch) { return result }
        }
        return nil
    }
}
