import Columnar

/// Rows split by a seeded hash of their keys into `count` buckets on disk, each read back on
/// its own: how a task that outgrows the memory budget (a final aggregation, a join's build
/// side) divides its work Grace-hash style. The seed of split `level` is independent of the
/// exchange's unseeded hash (which put all these rows in one partition) and of other levels.
final class SpillBuckets {
    let count: Int
    let schema: Schema
    private let writer: ShuffleMapWriter
    private let metrics = ShuffleMetrics()
    private let context: TaskContext
    private let seed: UInt64

    private let scratch = PartitionScratch()

    init(count: Int, level: Int, schema: Schema, filePrefix: String, context: TaskContext) {
        self.count = count
        self.schema = schema
        self.context = context
        seed = UInt64(level + 1) &* 0x9E37_79B9_7F4A_7C15
        metrics.reset(mapTasks: 1, reducers: count)
        writer = ShuffleMapWriter(mapTask: 0, reducers: count, schema: schema, filePrefix: filePrefix, context: context, metrics: metrics)
    }

    /// Unfinished, it gives back the memory of the batches it still buffers (its spill files go
    /// with the query's spill directory).
    deinit { writer.abort() }

    /// Adds the rows of `batch`, by the hash of `keys` (columns as long as the batch).
    func write(_ batch: RecordBatch, keys: [Column]) throws {
        try writer.write(batch, split: HashPartitioner.split(rowCount: batch.rowCount, keys: keys, into: count, seed: seed, scratch: scratch))
    }

    /// Writes what is still in memory to disk; returns a reader per bucket (nil for a bucket
    /// without rows), with the spill bytes and files written.
    func finish() throws -> (readers: [ShuffleReader?], spillBytes: Int, spillFiles: Int) {
        let output = try writer.finish(spillingRemainder: true)
        let rows = metrics.mapOutputStatistics.rowsByMapTask[0]
        let readers = (0..<count).map { bucket -> ShuffleReader? in
            guard rows[bucket] > 0 else { return nil }
            let block = ShuffleReader.Block(
                reducer: bucket,
                spills: output.spills.compactMap { $0.segments[bucket].isEmpty ? nil : ($0, $0.segments[bucket]) },
                inMemory: output.inMemory.isEmpty ? [] : output.inMemory[bucket])
            return ShuffleReader(blocks: [block], schema: schema, context: context, metrics: metrics)
        }
        return (readers, output.spills.reduce(0) { $0 + $1.byteCount }, output.spills.count)
    }
}
