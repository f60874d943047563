import Columnar
import Query
import Synchronization

/// A stage boundary: the tasks of the stage below write their output into partitions (by hash of
/// the keys, or all into one), and the stage above reads one partition per task. The scheduler
/// runs the stage below (`materialize`) before anything reads.
public final class ShuffleExchangeExec: ExecutionPlan, @unchecked Sendable {
    public enum Partitioning: Sendable, CustomStringConvertible {
        /// Rows with equal key values (the columns at these indices) meet in one partition.
        case hash(keys: [Int], partitions: Int)
        /// Everything in one partition, in the input's partition order.
        case single

        public var description: String {
            switch self {
            case .hash(let keys, let partitions): "hashpartitioning(\(keys.map { "#\($0)" }.joined(separator: ", ")), \(partitions))"
            case .single: "SinglePartition"
            }
        }
    }

    public let partitioning: Partitioning
    public let input: any ExecutionPlan
    public let metrics = OperatorMetrics()
    /// Per output partition, per input partition, the batches written (kept apart so the
    /// order is deterministic).
    private let output = Mutex<[[[RecordBatch]]]?>(nil)

    public init(partitioning: Partitioning, input: any ExecutionPlan) {
        self.partitioning = partitioning
        self.input = input
    }

    public var name: String { "ShuffleExchangeExec" }
    public var detail: String {
        switch partitioning {
        case .hash(let keys, let partitions):
            "hashpartitioning(\(keys.map { input.schema.columns[$0].name }.joined(separator: ", ")), \(partitions))"
        case .single: "SinglePartition"
        }
    }
    public var schema: PlanSchema { input.schema }
    public var children: [any ExecutionPlan] { [input] }
    public var partitionCount: Int {
        if case .hash(_, let partitions) = partitioning { return partitions }
        return 1
    }

    var isMaterialized: Bool { output.withLock { $0 != nil } }

    /// Runs the stage below: one task per input partition, each writing its rows into the
    /// output partitions.
    func materialize(scheduler: StageScheduler) throws {
        let inputPartitions = input.partitionCount
        let outputPartitions = partitionCount
        output.withLock { $0 = Array(repeating: Array(repeating: [], count: inputPartitions), count: outputPartitions) }
        let partitioning = self.partitioning
        try scheduler.runStage(root: self, input: input) { partition, context in
            let stream = try self.input.execute(partition: partition, context: context)
            var local = Array(repeating: [RecordBatch](), count: outputPartitions)
            while let batch = try stream.next() {
                try context.checkCancelled()
                switch partitioning {
                case .single:
                    local[0].append(batch)
                case .hash(let keys, let count):
                    for (i, part) in HashPartitioner.partition(batch, keyColumns: keys, into: count).enumerated() where part.rowCount > 0 {
                        local[i].append(part)
                    }
                }
            }
            let rows = local.reduce(0) { $0 + $1.reduce(0) { $0 + $1.rowCount } }
            self.metrics.add(rows: rows)
            self.output.withLock { stored in
                for i in 0..<outputPartitions { stored![i][partition] = local[i] }
            }
            return rows
        }
    }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        guard let batches = output.withLock({ $0?[partition].flatMap { $0 } }) else {
            throw ExecutionError.unsupported("exchange read before its stage ran")
        }
        return ArrayStream(batches)
    }

    /// Bytes each map task wrote to each reduce partition (`[reduce][map]`), once materialized:
    /// what adaptive execution re-plans the stage above from.
    public var mapOutputBytes: [[Int]] {
        output.withLock { stored in
            (stored ?? []).map { perMap in perMap.map { batches in batches.reduce(0) { $0 + $1.dataSize } } }
        }
    }

    /// One spec per reduce partition: the shuffle read as it was written.
    var identitySpecs: [ShufflePartitionSpec] { (0..<partitionCount).map { .coalesced($0..<($0 + 1)) } }

    /// The rows `spec` names, in map task order within each reduce partition.
    func read(_ spec: ShufflePartitionSpec) throws -> any BatchStream {
        let batches: [RecordBatch]? = output.withLock { stored in
            guard let stored else { return nil }
            switch spec {
            case .coalesced(let reducers): return reducers.flatMap { stored[$0].joined() }
            case .partial(let reducer, let maps): return Array(stored[reducer][maps].joined())
            }
        }
        guard let batches else { throw ExecutionError.unsupported("exchange read before its stage ran") }
        return ArrayStream(batches)
    }

    /// Frees the shuffle data once the stage above is done.
    func release() { output.withLock { $0 = nil } }
}

extension RecordBatch {
    /// The bytes of the rows themselves: a dictionary-encoded column counts its rows' share of
    /// the dictionary, not the whole dictionary that every slice of a batch keeps pointing to.
    var dataSize: Int { columns.reduce(0) { $0 + $1.dataSize } }
}

extension Column {
    var dataSize: Int {
        guard case .dictionary(let indices, let dictionary) = storage else { return byteSize }
        let share = dictionary.count == 0 ? 0 : dictionary.byteSize * count / dictionary.count
        return (validity?.byteCount ?? 0) + min(indices.byteCount, count * 4) + min(dictionary.byteSize, share)
    }
}
