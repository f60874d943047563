import Columnar
import Query
import Synchronization

/// Reads a hash shuffle the way adaptive execution last planned it: one task per partition spec
/// (several small reduce partitions together, or a slice of a skewed one). Until the shuffle ran
/// and was re-planned, it reads the shuffle's partitions one per task.
public final class AQEShuffleReadExec: ExecutionPlan, @unchecked Sendable {
    public let exchange: ShuffleExchangeExec
    public let metrics = OperatorMetrics()
    private let plan = Mutex<(specs: [ShufflePartitionSpec], description: String)?>(nil)

    public init(exchange: ShuffleExchangeExec) { self.exchange = exchange }

    public var name: String { "AQEShuffleReadExec" }
    public var detail: String { plan.withLock { $0?.description } ?? "" }
    public var schema: PlanSchema { exchange.schema }
    public var children: [any ExecutionPlan] { [exchange] }
    public var partitionCount: Int { plan.withLock { $0?.specs.count } ?? exchange.partitionCount }

    /// Whether adaptive execution has planned this read (each stage is re-planned once).
    var isPlanned: Bool { plan.withLock { $0 != nil } }

    /// Sets what the tasks read; `description` says how for EXPLAIN (`coalesced 200 → 6 partitions`).
    func plan(_ specs: [ShufflePartitionSpec], description: String) {
        plan.withLock { $0 = (specs, description) }
    }

    /// The shuffle's own partitioning, unchanged.
    func keepShufflePartitions() {
        plan(exchange.identitySpecs, description: "")
    }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        let spec = plan.withLock { $0?.specs[partition] } ?? .coalesced(partition..<(partition + 1))
        return MeteredStream(BatchCoalescingStream(try exchange.read(spec)), metrics)
    }
}
