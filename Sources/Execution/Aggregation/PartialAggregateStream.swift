import Columnar

/// Partial-mode grouped aggregation under the query's memory budget: when the group table cannot
/// reserve more memory, the groups so far are passed on as they are (the final aggregation merges
/// repeated groups anyway) and the table starts again empty, as Spark's partial aggregation falls
/// back to passing rows on.
final class PartialAggregateStream: BatchStream {
    /// Key columns and, per aggregate, its argument columns of a batch.
    typealias Extract = (RecordBatch) throws -> (keys: [Column], arguments: [[Column]])

    private let input: any BatchStream
    private let extract: Extract
    private let keyTypes: [DataType]
    private let specs: [AggregateSpec]
    private let outputSchema: Schema
    private let context: TaskContext
    private var aggregator: GroupedAggregator
    private var reserved = 0
    private var pending: ArraySlice<RecordBatch> = []
    private var inputDone = false
    /// How many times the table was passed on before the input ended.
    private(set) var earlyFlushes = 0

    init(input: any BatchStream, extract: @escaping Extract, keyTypes: [DataType], specs: [AggregateSpec],
         outputSchema: Schema, context: TaskContext) throws {
        self.input = input
        self.extract = extract
        self.keyTypes = keyTypes
        self.specs = specs
        self.outputSchema = outputSchema
        self.context = context
        aggregator = try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .partial)
    }

    deinit { context.memory.release(reserved) }

    func next() throws -> RecordBatch? {
        while pending.isEmpty && !inputDone {
            guard let batch = try input.next() else {
                flush()
                inputDone = true
                break
            }
            try context.checkCancelled()
            let (keys, arguments) = try extract(batch)
            try aggregator.update(keys: keys, arguments: arguments, rowCount: batch.rowCount)
            let needed = aggregator.estimatedMemoryBytes - reserved
            if needed <= 0 { continue }
            if context.memory.tryReserve(needed) {
                reserved += needed
            } else {
                flush()
                earlyFlushes += 1
                aggregator = try GroupedAggregator(keyTypes: keyTypes, aggregates: specs, mode: .partial)
            }
        }
        return pending.popFirst()
    }

    /// Moves the table's groups to `pending` and gives its memory back.
    private func flush() {
        let schema = outputSchema
        pending = aggregator.finish().map { RecordBatch(schema: schema, columns: $0.columns, rowCount: $0.rowCount) }[...]
        context.memory.release(reserved)
        reserved = 0
    }
}
