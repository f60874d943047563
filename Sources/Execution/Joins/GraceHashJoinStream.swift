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
    /// Budget bytes per build row for the table besides the rows themselves: its slot array
    /// (up to four slots a row), the chain links, the key words or hashes and the row index.
    static let tableBytesPerRow = 16 + 4 + 8 + 8

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
            let needed = footprint.add(batch) + batch.rowCount * Self.tableBytesPerRow
            batches.append(batch)
            if try context.memory.reserve(needed) {
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
        let seed = UInt64(pass.level + 1) &* 0x9E37_79B9_7F4A_7C15
        let prefix = "join-\(context.stageID)-\(context.partition)-level\(pass.level)"
        let buildBuckets = try writeBuckets(buffered, then: pass.build, keys: join.buildKeys, schema: join.build.schema.schema,
                                            seed: seed, filePrefix: prefix + "-build")
        let probeKeys = join.buildSide == .left ? join.compiledRightKeys : join.compiledLeftKeys
        let probeSchema = join.probe.schema.schema
        let probeBuckets = try writeBuckets([], then: try pass.probe(), keys: probeKeys, schema: probeSchema,
                                            seed: seed, filePrefix: prefix + "-probe")
        for bucket in (0..<Self.fanout).reversed() {
            // A bucket without build rows still joins for the probe rows an outer or anti join keeps.
            guard buildBuckets.rows[bucket] > 0 || probeBuckets.rows[bucket] > 0 else { continue }
            let build = buildBuckets.reader(bucket, schema: join.build.schema.schema, context: context)
            let probe = probeBuckets.reader(bucket, schema: probeSchema, context: context)
            passes.append(Pass(build: build, probe: { probe }, level: pass.level + 1))
        }
    }

    /// One side's rows split into buckets, all on disk.
    private struct Buckets {
        let output: MapOutput
        let rows: [Int]
        let metrics: ShuffleMetrics

        func reader(_ bucket: Int, schema: Schema, context: TaskContext) -> ShuffleReader {
            let block = ShuffleReader.Block(
                reducer: bucket,
                spills: output.spills.compactMap { $0.segments[bucket].isEmpty ? nil : ($0, $0.segments[bucket]) },
                inMemory: output.inMemory.isEmpty ? [] : output.inMemory[bucket])
            return ShuffleReader(blocks: [block], schema: schema, context: context, metrics: metrics)
        }
    }

    private func writeBuckets(_ first: [RecordBatch], then input: any BatchStream, keys: [CompiledExpression], schema: Schema,
                              seed: UInt64, filePrefix: String) throws -> Buckets {
        let metrics = ShuffleMetrics()
        metrics.reset(mapTasks: 1, reducers: Self.fanout)
        let writer = ShuffleMapWriter(mapTask: 0, reducers: Self.fanout, schema: schema, filePrefix: filePrefix,
                                      context: context, metrics: metrics)
        defer { writer.abort() }
        func write(_ batch: RecordBatch) throws {
            let keyColumns = try keys.map { try $0.evaluate(batch) }
            try writer.write(HashPartitioner.partition(batch, keys: keyColumns, into: Self.fanout, seed: seed))
        }
        for batch in first { try write(batch) }
        while let batch = try input.next() {
            try context.checkCancelled()
            if batch.rowCount > 0 { try write(batch) }
        }
        let output = try writer.finish(spillingRemainder: true)
        join.metrics.addSpill(bytes: output.spills.reduce(0) { $0 + $1.byteCount }, files: output.spills.count)
        return Buckets(output: output, rows: metrics.mapOutputStatistics.rowsByMapTask[0], metrics: metrics)
    }
}
