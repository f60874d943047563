import Columnar

/// Partial-mode grouped aggregation under the query's memory budget: when the group table cannot
/// reserve more memory, the groups so far are passed on as they are (the final aggregation merges
/// repeated groups anyway) and the table starts again empty, as Spark's partial aggregation falls
/// back to passing rows on.
///
/// When the rows of the table make nearly as many groups (`SkipThreshold`), grouping saves the
/// exchange little: the groups so far are passed on, and every later row goes on as a group of
/// its own without the table (DataFusion's skipping of partial aggregation).
///
/// It passes its groups on in the same way when another operator of its task needs the memory
/// (`TaskMemoryConsumer`): a merge-mode aggregation below it, between the buckets it works through.
final class PartialAggregateStream: BatchStream, TaskMemoryConsumer {
    /// Grouping stops once `probeRows` rows or more made `ratio` × as many groups.
    struct SkipThreshold {
        var probeRows: Int
        var ratio: Double
        /// DataFusion's defaults.
        static let standard = SkipThreshold(probeRows: 100_000, ratio: 0.8)
    }

    /// Key columns and, per aggregate, its argument columns of a batch.
    typealias Extract = (RecordBatch) throws -> (keys: [Column], arguments: [[Column]])

    private let input: any BatchStream
    private let extract: Extract
    private let keyTypes: [DataType]
    private let keyNullable: [Bool]?
    private let specs: [AggregateSpec]
    private let mergesStates: [Bool]?
    private let outputSchema: Schema
    private let context: TaskContext
    private let skipThreshold: SkipThreshold
    private var aggregator: GroupedAggregator
    private var reserved = 0
    private var pending: ArraySlice<RecordBatch> = []
    private var inputDone = false
    /// How many times the table was passed on before the input ended.
    private(set) var earlyFlushes = 0
    /// Rows into the table since it last started empty.
    private var tableRows = 0
    /// Rows go on as groups of their own.
    private(set) var skipsGrouping = false

    init(input: any BatchStream, extract: @escaping Extract, keyTypes: [DataType], keyNullable: [Bool]? = nil, specs: [AggregateSpec],
         mergesStates: [Bool]? = nil, outputSchema: Schema, context: TaskContext, skipThreshold: SkipThreshold = .standard) throws {
        self.mergesStates = mergesStates
        self.input = input
        self.skipThreshold = skipThreshold
        self.extract = extract
        self.keyTypes = keyTypes
        self.keyNullable = keyNullable
        self.specs = specs
        self.outputSchema = outputSchema
        self.context = context
        aggregator = try GroupedAggregator(keyTypes: keyTypes, keyNullable: keyNullable, aggregates: specs, mode: .partial,
                                           mergesStates: mergesStates)
        context.register(self)
    }

    deinit { context.memory.release(reserved) }

    /// A new, empty group table, as `init` makes the first.
    private func emptyTable() throws -> GroupedAggregator {
        try GroupedAggregator(keyTypes: keyTypes, keyNullable: keyNullable, aggregates: specs, mode: .partial, mergesStates: mergesStates)
    }

    func next() throws -> RecordBatch? {
        while pending.isEmpty && !inputDone {
            guard let batch = try input.next() else {
                flush()
                inputDone = true
                break
            }
            try context.checkCancelled()
            let (keys, arguments) = try extract(batch)
            if skipsGrouping {
                if batch.rowCount > 0 { pending = [try aggregator.rowStates(keys: keys, arguments: arguments, count: batch.rowCount)] }
                continue
            }
            try aggregator.update(keys: keys, arguments: arguments, rowCount: batch.rowCount)
            tableRows += batch.rowCount
            if !keyTypes.isEmpty && tableRows >= skipThreshold.probeRows
                && Double(aggregator.groupCount) >= skipThreshold.ratio * Double(tableRows) {
                flush()
                aggregator = try emptyTable()
                skipsGrouping = true
                continue
            }
            let needed = aggregator.estimatedMemoryBytes - reserved
            if needed <= 0 { continue }
            if context.memory.tryReserve(needed) {
                reserved += needed
            } else {
                try flushEarly()
            }
        }
        return pending.popFirst()
    }

    /// Called while this stream waits for its input: the groups so far go on (after whatever is
    /// pending) and the table starts again empty.
    func yieldMemory() throws -> Int {
        let released = reserved
        guard released > 0, !inputDone else { return 0 }
        try flushEarly()
        return released
    }

    private func flushEarly() throws {
        flush()
        earlyFlushes += 1
        aggregator = try emptyTable()
        tableRows = 0
    }

    /// Moves the table's groups to the end of `pending` and gives its memory back.
    private func flush() {
        let schema = outputSchema
        pending += aggregator.finish().map { RecordBatch(schema: schema, columns: $0.columns, rowCount: $0.rowCount) }
        context.memory.release(reserved)
        reserved = 0
    }
}
