import Columnar
import Query

/// Scans a cached result (`InMemoryTableSource`): one task per cached partition, keeping the
/// projected columns. Shows as `InMemoryTableScanExec`, Spark's name.
///
/// While the cache is incomplete the scan has the plan that computes it as its child (planned
/// from the source's build plan, so its exchanges run as earlier stages of this query): a task
/// whose partition is not stored yet reads the child's partition to the end, stores it, then
/// outputs it, as Spark's block manager materialises a cached partition before handing it on.
/// Once complete, the scan has no child and reads memory only.
public final class InMemoryScanExec: ExecutionPlan, @unchecked Sendable {
    public let source: InMemoryTableSource
    public let fields: [Int]
    /// The most rows each task outputs (a pushed-down limit; the global limit stays above).
    public let limit: Int?
    public let schema: PlanSchema
    public let metrics = OperatorMetrics()
    /// The partitions of a complete cache, taken when the scan was planned.
    let cached: [[RecordBatch]]?
    /// The plan computing the cache, while it is incomplete, and the generation to store under.
    let build: (plan: any ExecutionPlan, generation: Int)?

    public init(source: InMemoryTableSource, fields: [Int], limit: Int?, schema: PlanSchema, planner: PhysicalPlanner) throws {
        self.source = source
        self.fields = fields
        self.limit = limit
        self.schema = schema
        switch source.snapshot() {
        case .complete(let partitions):
            cached = partitions
            build = nil
        case .incomplete(let buildPlan):
            guard let buildPlan else {
                throw ExecutionError.unsupported("scanning \(source.displayName): its rows are not cached and there is no plan to compute them")
            }
            // Planned without adaptive execution: the cache keeps the partitions it was prepared
            // for, which re-planned shuffle reads could change after this point.
            var config = planner.config
            config.adaptive.enabled = false
            let plan = try PhysicalPlanner(config: config).plan(buildPlan)
            guard plan.schema.columns.map(\.type) == source.schema.fields.map(\.type) else {
                throw ExecutionError.unsupported("scanning \(source.displayName): the plan computing it outputs "
                    + "\(plan.schema.columns.map(\.type.sqlName)), not \(source.schema.fields.map(\.type.sqlName))")
            }
            cached = nil
            build = (plan, source.prepare(partitionCount: plan.partitionCount))
        }
    }

    public var name: String { "InMemoryTableScanExec" }
    public var detail: String {
        var text = "[\(schema.columns.map(\.name).joined(separator: ", "))] \(source.displayName)"
        if let limit { text += " Limit: \(limit)" }
        if let cached {
            let batches = cached.joined()
            let rows = batches.reduce(0) { $0 + $1.rowCount }
            let bytes = batches.reduce(0) { $0 + $1.byteSize }
            text += " (cached: \(cached.count) partition\(cached.count == 1 ? "" : "s"), \(rows) rows, \(ByteCountText.text(bytes)))"
        } else {
            text += " (caching the output of the plan below)"
        }
        return text
    }
    public var children: [any ExecutionPlan] { build.map { [$0.plan] } ?? [] }
    public var partitionCount: Int { max(1, cached?.count ?? build?.plan.partitionCount ?? 1) }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        let batches: [RecordBatch]
        if let cached {
            batches = partition < cached.count ? cached[partition] : []
        } else if let build, let stored = source.stored(partition: partition, generation: build.generation) {
            batches = stored
        } else if let build, partition < build.plan.partitionCount {
            let stream = try build.plan.execute(partition: partition, context: context)
            var computed: [RecordBatch] = []
            while let batch = try stream.next() {
                try context.checkCancelled()
                computed.append(batch)
            }
            source.store(partition: partition, batches: computed, generation: build.generation)
            batches = computed
        } else {
            batches = []
        }
        return ScanStream(scan: self, batches: batches, context: context)
    }

    /// Hands out the partition's batches with the projected columns, up to the limit.
    final class ScanStream: BatchStream {
        let scan: InMemoryScanExec
        var batches: ArraySlice<RecordBatch>
        let context: TaskContext
        let outputSchema: Schema
        var produced = 0

        init(scan: InMemoryScanExec, batches: [RecordBatch], context: TaskContext) {
            self.scan = scan
            self.batches = batches[...]
            self.context = context
            outputSchema = scan.schema.schema
        }

        func next() throws -> RecordBatch? {
            try context.checkCancelled()
            while let stored = batches.popFirst() {
                if let limit = scan.limit, produced >= limit { return nil }
                guard stored.rowCount > 0 else { continue }
                var batch = RecordBatch(schema: outputSchema, columns: scan.fields.map { stored.columns[$0] }, rowCount: stored.rowCount)
                if let limit = scan.limit, produced + batch.rowCount > limit { batch = batch.slice(0..<(limit - produced)) }
                produced += batch.rowCount
                scan.metrics.add(rows: batch.rowCount)
                return batch
            }
            return nil
        }
    }
}
