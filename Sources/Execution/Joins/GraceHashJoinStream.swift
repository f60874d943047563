import Columnar

/// One task of a shuffled hash join that completes under the query's memory budget, by Grace
/// hashing: the build side's rows are kept in memory while the budget grants them (with the
/// table's own arrays); when it does not, the rows so far and the rest of the build side, then
/// the whole probe side, are split by a second hash of the keys into `fanout` buckets on disk,
/// and each bucket's build rows are joined with its probe rows on their own, splitting again
/// (with another hash) if they still do not fit, up to `maxLevel` times; past that a bucket is
/// built in memory whatever it takes, as a spilling aggregation does.
///
/// Matching rows have equal keys and so land in the same bucket: every join type decomposes
/// into the buckets' joins (an outer join's unmatched rows, a semi join's matches), and rows
/// with a NULL key, which match nothing, go to some bucket and are output there as unmatched.
/// Rows come bucket by bucket, in an order SQL leaves unspecified.
final class GraceHashJoinStream: BatchStream {
    static let fanout = 16
    static let maxLevel = 3

    /// A build input and its probe input, joined as one.
    private struct Pass {
        let build: any BatchStream
        /// Opened once the build side is in memory or split (a probe scan starts no earlier).
        let probe: () throws -> any BatchStream
        let level: Int
    }

    private let join: HashJoinExec
    private let context: TaskContext
    private var passes: [Pass]
    /// The join of the pass under way, and the budget its build side holds.
    private var current: HashJoinStream?
    private var reserved = 0

    init(join: HashJoinExec, build: any BatchStream, probe: @escaping () throws -> any BatchStream, context: TaskContext) {
        self.join = join
        self.context = context
        passes = [Pass(build: build, probe: probe, level: 0)]
    }

    deinit { context.memory.release(reserved) }

    func next() throws -> RecordBatch? {
        while true {
            if let current, let batch = try current.next() { return batch }
            current = nil
            context.memory.release(reserved)
            reserved = 0
            guard let pass = passes.popLast() else { return nil }
            try run(pass)
        }
    }

    /// Builds the pass's table and starts probing it, or splits the pass into buckets.
    private func run(_ pass: Pass) throws {
        var batches: [RecordBatch] = []
        var footprint = BufferFootprint()
        while let batch = try pass.build.next() {
            try context.checkCancelled()
            guard batch.rowCount > 0 else { continue }
            let needed = footprint.add(batch) + batch.rowCount * JoinHashTable.bytesPerRow(keyCount: join.buildKeys.count)
            batches.append(batch)
            if try context.reserve(needed, for: self) {
                reserved += needed
            } else if pass.level < Self.maxLevel {
                context.memory.release(reserved)
                reserved = 0
                try split(pass, buffered: batches)
                return
            }
        }
        let table = try JoinHashTable(batches: batches, schema: join.build.schema.schema, keys: join.buildKeys)
        current = HashJoinStream(join: join, table: table, probe: try pass.probe(), context: context)
    }

    /// Writes the pass's build rows (`buffered`, then the rest of its input) and its probe rows
    /// to buckets on disk, and queues a pass per bucket, bucket 0 first.
    private func split(_ pass: Pass, buffered: [RecordBatch]) throws {
        let prefix = "join-\(context.stageID)-\(context.partition)-level\(pass.level)"
        let build = try writeBuckets(buffered, then: pass.build, keys: join.buildKeys, schema: join.build.schema.schema,
                                     level: pass.level, filePrefix: prefix + "-build")
        let probe = try writeBuckets([], then: try pass.probe(), keys: join.probeKeys, schema: join.probe.schema.schema,
                                     level: pass.level, filePrefix: prefix + "-probe")
        for (buildRows, probeRows) in zip(build, probe).reversed() {
            // A bucket without build rows still joins for the probe rows an outer or anti join
            // keeps; one without probe rows, for the build rows.
            guard buildRows != nil || probeRows != nil else { continue }
            let buildStream: any BatchStream = buildRows ?? ArrayStream([])
            let probeStream: any BatchStream = probeRows ?? ArrayStream([])
            passes.append(Pass(build: buildStream, probe: { probeStream }, level: pass.level + 1))
        }
    }

    /// One side's rows split into buckets, all on disk: a reader per bucket (nil when empty).
    private func writeBuckets(_ first: [RecordBatch], then input: any BatchStream, keys: [CompiledExpression], schema: Schema,
                              level: Int, filePrefix: String) throws -> [ShuffleReader?] {
        let buckets = SpillBuckets(count: Self.fanout, level: level, schema: schema, filePrefix: filePrefix, context: context)
        func write(_ batch: RecordBatch) throws {
            try buckets.write(batch, keys: try keys.map { try $0.evaluate(batch) })
        }
        for batch in first { try write(batch) }
        while let batch = try input.next() {
            try context.checkCancelled()
            if batch.rowCount > 0 { try write(batch) }
        }
        let (readers, spillBytes, spillFiles) = try buckets.finish()
        join.metrics.addSpill(bytes: spillBytes, files: spillFiles)
        return readers
    }
}
