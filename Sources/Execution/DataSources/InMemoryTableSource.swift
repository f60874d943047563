import Columnar
import Query
import Synchronization

/// A cached query result (`df.cache()`, `CACHE TABLE`): record batches in memory, kept in the
/// partitions of the plan that computed them, so scans of it run one task per partition.
///
/// It fills lazily, as Spark's cache does: the first scan finds it incomplete, runs `buildPlan`
/// below itself and stores each partition its tasks compute whole; once every partition is
/// stored, scans read memory only and the plan is dropped. A partition is stored only when its
/// task read it to the end, so a query stopped early leaves the others to the next scan. Rows
/// are never refreshed: a cache over files keeps the rows the files had when it filled.
public final class InMemoryTableSource: TableSource, Sendable {
    public let displayName: String
    public let schema: Schema
    private let state = Mutex(State())

    struct State {
        /// Stored partitions; an empty array before the first scan planned how many there are.
        var partitions: [[RecordBatch]?] = []
        var storedCount = 0
        /// Bumped when the partition count changes, so a scan planned for the old count cannot
        /// store into the new layout.
        var generation = 0
        /// The optimized plan that computes the rows, until they are all stored.
        var buildPlan: LogicalPlan?
        var isComplete: Bool { !partitions.isEmpty && storedCount == partitions.count }
    }

    /// What a scan planned against the cache: all of it, or what to compute.
    enum Snapshot {
        case complete([[RecordBatch]])
        case incomplete(buildPlan: LogicalPlan?)
    }

    /// `name` is what plans show (`in-memory table t`); `schema` is the output of the cached plan.
    public init(name: String, schema: Schema) {
        displayName = name
        self.schema = schema
    }

    /// Sets the optimized plan that computes the rows, which scans run while the cache is
    /// incomplete. The session re-optimizes it before each query that uses the cache, so that it
    /// reads the other caches present at that time. Ignored once the cache is complete.
    public func setBuildPlan(_ plan: LogicalPlan) {
        state.withLock { state in
            if !state.isComplete { state.buildPlan = plan }
        }
    }

    public var isComplete: Bool { state.withLock { $0.isComplete } }

    /// Rows stored once the cache is complete; before, what the plan that fills it is estimated
    /// to output (so join planning sees the same size as without the cache).
    public var estimatedRowCount: Int? {
        let (rows, buildPlan): (Int?, LogicalPlan?) = state.withLock { state in
            guard state.isComplete else { return (nil, state.buildPlan) }
            return (state.partitions.reduce(0) { $0 + ($1?.reduce(0) { $0 + $1.rowCount } ?? 0) }, nil)
        }
        if let rows { return rows }
        guard let buildPlan, let bytes = SizeEstimator.estimatedBytes(buildPlan) else { return nil }
        return bytes / SizeEstimator.rowWidth(PlanSchema(schema))
    }

    public var supportsFilterPruning: Bool { false }

    /// Partitions, rows and bytes stored so far.
    public var storedSize: (partitions: Int, rows: Int, bytes: Int) {
        state.withLock { state in
            var rows = 0
            var bytes = 0
            for batch in state.partitions.lazy.compactMap({ $0 }).joined() {
                rows += batch.rowCount
                bytes += batch.byteSize
            }
            return (state.storedCount, rows, bytes)
        }
    }

    func snapshot() -> Snapshot {
        state.withLock { state in
            state.isComplete ? .complete(state.partitions.map { $0! }) : .incomplete(buildPlan: state.buildPlan)
        }
    }

    /// Prepares the cache for a scan whose plan computes `count` partitions; partitions stored
    /// under another count are dropped. Returns the generation to store under.
    func prepare(partitionCount count: Int) -> Int {
        state.withLock { state in
            if state.partitions.count != count {
                state.partitions = Array(repeating: nil, count: count)
                state.storedCount = 0
                state.generation += 1
            }
            return state.generation
        }
    }

    /// The batches of a stored partition of `generation`, or nil.
    func stored(partition: Int, generation: Int) -> [RecordBatch]? {
        state.withLock { state in
            guard state.generation == generation, partition < state.partitions.count else { return nil }
            return state.partitions[partition]
        }
    }

    /// Stores a partition read to its end; the first task to finish a partition wins.
    func store(partition: Int, batches: [RecordBatch], generation: Int) {
        state.withLock { state in
            guard state.generation == generation, partition < state.partitions.count, state.partitions[partition] == nil else { return }
            state.partitions[partition] = batches
            state.storedCount += 1
            if state.isComplete { state.buildPlan = nil }
        }
    }
}
