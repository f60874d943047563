import Columnar

/// Final- or merge-mode grouped aggregation that completes under the query's memory budget, by Grace
/// hashing: while the group table can reserve memory it aggregates in memory; when it cannot, the
/// groups so far (as partial states) and the rest of the input are split by a second hash into
/// `fanout` buckets on disk, and each bucket is aggregated on its own afterwards, splitting again
/// (with another hash) if it still does not fit, up to `maxLevel` times; past that it goes over
/// the budget rather than fail.
///
/// A bucket holds every row of its groups, so its results are final. Results come bucket by
/// bucket; the order of groups differs from the in-memory order, which SQL leaves unspecified.
final class SpillingAggregateStream: BatchStream {
    static let fanout = 16
    static let maxLevel = 3

    /// Splits a batch into key columns and, per aggregate, its partial-state columns.
    typealias Extract = (RecordBatch) throws -> (keys: [Column], states: [[Column]])

    private struct Pass {
        let input: any BatchStream
        let level: Int
        let extract: Extract
    }

    private let keyTypes: [DataType]
    private let keyNullable: [Bool]?
    private let specs: [AggregateSpec]
    /// `.final` (results) or `.merge` (one state row per group).
    private let mode: GroupedAggregator.Mode
    private let outputSchema: Schema
    private let stateSchema: Schema
    private let context: TaskContext
    private let metrics: OperatorMetrics
    private var pending: ArraySlice<RecordBatch> = []
    /// Inputs still to aggregate, the next on top.
    private var passes: [Pass]

    init(input: any BatchStream, extract: @escaping Extract, keyTypes: [DataType], keyNullable: [Bool]? = nil, specs: [AggregateSpec],
         mode: GroupedAggregator.Mode = .final, outputSchema: Schema, context: TaskContext, metrics: OperatorMetrics) throws {
        precondition(mode == .final || mode == .merge, "states are merged in final or merge mode")
        self.mode = mode
        self.keyTypes = keyTypes
        self.keyNullable = keyNullable
        self.specs = specs
        self.outputSchema = outputSchema
        self.context = context
        self.metrics = metrics
        stateSchema = try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: mode).stateSchema
        passes = [Pass(input: input, level: 0, extract: extract)]
    }

    func next() throws -> RecordBatch? {
        while pending.isEmpty {
            guard let pass = passes.popLast() else { return nil }
            try run(pass)
        }
        return pending.popFirst()
    }

    /// Aggregates one input: its results become `pending`, or its buckets new passes.
    private func run(_ pass: Pass) throws {
        var aggregator: GroupedAggregator? = try GroupedAggregator(keyTypes: keyTypes, keyNullable: keyNullable, aggregates: specs, mode: mode)
        var reserved = 0
        var buckets: SpillBuckets?
        defer { context.memory.release(reserved) }
        let keyCount = keyTypes.count
        while let batch = try pass.input.next() {
            try context.checkCancelled()
            let (keys, states) = try pass.extract(batch)
            if let buckets {
                try buckets.write(stateBatch(keys, states), keys: keys)
                continue
            }
            try aggregator!.update(keys: keys, arguments: states)
            let needed = aggregator!.estimatedMemoryBytes - reserved
            guard needed > 0 else { continue }
            if try context.reserve(needed, for: self) {
                reserved += needed
                continue
            }
            // Past the last split a bucket is aggregated in memory whatever it takes.
            guard pass.level < Self.maxLevel else { continue }
            let split = SpillBuckets(count: Self.fanout, level: pass.level, schema: stateSchema,
                                     filePrefix: "aggregate-\(context.stageID)-\(context.partition)-level\(pass.level)", context: context)
            buckets = split
            let groups = aggregator!.finishStates()
            aggregator = nil
            context.memory.release(reserved)
            reserved = 0
            for group in groups { try split.write(group, keys: Array(group.columns[0..<keyCount])) }
        }
        if let buckets {
            let (readers, spillBytes, spillFiles) = try buckets.finish()
            metrics.addSpill(bytes: spillBytes, files: spillFiles)
            // Pushed last bucket first, so bucket 0 is aggregated next.
            for case let reader? in readers.reversed() {
                passes.append(Pass(input: reader, level: pass.level + 1, extract: splitStates))
            }
        } else if let aggregator {
            let schema = outputSchema
            pending = aggregator.finish().map { RecordBatch(schema: schema, columns: $0.columns, rowCount: $0.rowCount) }[...]
        }
    }

    /// Keys and states as one batch of `stateSchema`.
    private func stateBatch(_ keys: [Column], _ states: [[Column]]) -> RecordBatch {
        let columns = keys + states.flatMap { $0 }
        return RecordBatch(schema: stateSchema, columns: columns, rowCount: columns.first?.count ?? 0)
    }

    /// A batch of `stateSchema` split back into keys and each aggregate's state columns.
    private func splitStates(_ batch: RecordBatch) -> (keys: [Column], states: [[Column]]) {
        var next = keyTypes.count
        let states = specs.map { spec in
            let width = spec.partialStateTypes.count
            defer { next += width }
            return Array(batch.columns[next..<(next + width)])
        }
        return (Array(batch.columns[0..<keyTypes.count]), states)
    }
}
