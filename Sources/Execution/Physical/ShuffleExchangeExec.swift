import Columnar
import Query
import Synchronization

/// A stage boundary: the tasks of the stage below write their output into partitions (by hash of
/// the keys, or all into one), and the stage above reads one partition per task. The scheduler
/// runs the stage below (`mapStage`) before anything reads.
///
/// Map tasks keep their output in memory as long as the query's `MemoryBudget` grants it; a task
/// whose reservation fails spills what it holds to a file in the query's spill directory, with a
/// segment per reduce partition (Spark's sort-shuffle data and index). Reduce tasks read their
/// partition map task by map task, spilled batches first, so the order is deterministic. Between
/// the stages the output kept in memory stays reserved, and goes to disk too when an operator of
/// a later stage needs the room (`SpillableMemory`).
public final class ShuffleExchangeExec: ExchangeStage, SpillableMemory, @unchecked Sendable {
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
    /// Rows, bytes and spills per map task and reduce partition.
    public let shuffleMetrics = ShuffleMetrics()
    /// Each map task's output once the map stage has run; nil before and after the query.
    private let output = Mutex<Materialized?>(nil)

    /// True while `spillToDisk` runs, so concurrent requests do not spill twice.
    private let spilling = Atomic<Bool>(false)

    private struct Materialized {
        var mapOutputs: [MapOutput]
        let memory: MemoryBudget
        let spillDirectory: SpillDirectory
        let stageID: Int
    }

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

    /// The sizes the map tasks wrote per reduce partition (and per map task), once the map stage
    /// has run; what adaptive execution re-plans by.
    public var mapOutputStatistics: MapOutputStatistics? {
        isMaterialized ? shuffleMetrics.mapOutputStatistics : nil
    }

    /// The stage below: one task per input partition, each writing its rows into the output
    /// partitions.
    func mapStage(scheduler: StageScheduler) -> StageRun {
        let mapTasks = input.partitionCount
        let reducers = partitionCount
        let partitioning = self.partitioning
        let schema = input.schema.schema
        shuffleMetrics.reset(mapTasks: mapTasks, reducers: reducers)
        let outputs = Mutex<[MapOutput?]>(Array(repeating: nil, count: mapTasks))
        let stageID = Mutex(0)
        let task: @Sendable (Int, TaskContext) throws -> Int = { partition, context in
            stageID.withLock { $0 = context.stageID }
            let writer = ShuffleMapWriter(mapTask: partition, reducers: reducers, schema: schema,
                                          filePrefix: "shuffle-\(context.stageID)-map-\(partition)",
                                          context: context, metrics: self.shuffleMetrics)
            context.register(writer)
            let stream = try self.input.execute(partition: partition, context: context)
            let scratch = PartitionScratch()
            while let batch = try stream.next() {
                try context.checkCancelled()
                switch partitioning {
                case .single:
                    try writer.write([batch])
                case .hash(let keys, let count):
                    try writer.write(batch, split: HashPartitioner.split(rowCount: batch.rowCount, keys: keys.map { batch.columns[$0] },
                                                                        into: count, scratch: scratch))
                }
            }
            let rows = writer.rowCount
            let mapOutput = try writer.finish()
            self.metrics.add(rows: rows)
            self.metrics.addShuffleWrite(bytes: writer.byteCount)
            self.metrics.addSpill(bytes: writer.spillBytes, files: writer.spillFiles)
            outputs.withLock { $0[partition] = mapOutput }
            return rows
        }
        return StageRun(root: self, input: input, task: task, completed: {
            let mapOutputs = outputs.withLock { $0.map { $0! } }
            self.output.withLock {
                $0 = Materialized(mapOutputs: mapOutputs, memory: scheduler.memory, spillDirectory: scheduler.spillDirectory,
                                  stageID: stageID.withLock { $0 })
            }
            if mapOutputs.contains(where: { $0.reservedBytes > 0 }) { scheduler.memory.register(self) }
        }, failed: {
            // Tasks that finished hold reservations; the failed ones gave theirs back.
            let held = outputs.withLock { $0.reduce(0) { $0 + ($1?.reservedBytes ?? 0) } }
            scheduler.memory.release(held)
        })
    }

    /// Writes the map output still in memory to one spill file per map task and gives its memory
    /// back; reduce tasks already reading keep the batches they hold.
    public func spillToDisk() throws -> Int {
        guard spilling.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return 0 }
        defer { spilling.store(false, ordering: .releasing) }
        guard let snapshot = output.withLock({ $0 }) else { return 0 }
        var freed = 0
        let serializer = BatchSerializer(compress: snapshot.spillDirectory.compress)
        for (m, mapOutput) in snapshot.mapOutputs.enumerated() where mapOutput.reservedBytes > 0 {
            let path = try snapshot.spillDirectory.newFilePath(prefix: "shuffle-\(snapshot.stageID)-map-\(m)", extension: "data")
            let writer = try SpillFileWriter(path: path, serializer: serializer)
            for batches in mapOutput.inMemory { try writer.writeSegment(batches.map(\.batch)) }
            let file = try writer.finish()
            let stillHeld = output.withLock { state -> Bool in
                guard state != nil else { return false }
                state!.mapOutputs[m].spills.append(file)
                state!.mapOutputs[m].inMemory = Array(repeating: [], count: partitionCount)
                state!.mapOutputs[m].reservedBytes = 0
                return true
            }
            guard stillHeld else { break }
            snapshot.memory.release(mapOutput.reservedBytes)
            freed += mapOutput.reservedBytes
            shuffleMetrics.recordSpill(mapTask: m, bytes: file.byteCount)
            metrics.addSpill(bytes: file.byteCount, files: 1)
        }
        return freed
    }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        try read(.reducer(partition), context: context)
    }

    /// Bytes each map task wrote to each reduce partition (`[reduce][map]`), once materialized:
    /// what adaptive execution re-plans the stage above from.
    public var mapOutputBytes: [[Int]] {
        guard let statistics = mapOutputStatistics else { return [] }
        return (0..<statistics.reducers).map { r in statistics.bytesByMapTask.map { $0[r] } }
    }

    /// One spec per reduce partition: the shuffle read as it was written.
    var identitySpecs: [ShufflePartitionSpec] { (0..<partitionCount).map { .reducer($0) } }

    /// The batches of the blocks `spec` names, after the map stage has run: reduce partition by
    /// reduce partition, in map task order within each (a map task's spilled batches first).
    /// With a `context`, reading stops when the query is cancelled.
    public func read(_ spec: ShufflePartitionSpec, context: TaskContext? = nil) throws -> any BatchStream {
        let mapOutputs = try output.withLock { materialized -> [MapOutput] in
            guard let materialized else { throw ExecutionError.unsupported("exchange read before its stage ran") }
            return materialized.mapOutputs
        }
        guard let blocks = spec.blocks(reducers: partitionCount, mapTasks: mapOutputs.count) else {
            throw ExecutionError.unsupported("\(spec) is outside the exchange's \(partitionCount) reduce partitions and \(mapOutputs.count) map tasks")
        }
        let readerBlocks = blocks.map { block in
            let mapOutput = mapOutputs[block.mapTask]
            return ShuffleReader.Block(
                reducer: block.reducer,
                spills: mapOutput.spills.compactMap { file in
                    let range = file.segments[block.reducer]
                    return range.isEmpty ? nil : (file, range)
                },
                inMemory: mapOutput.inMemory[block.reducer])
        }
        return ShuffleReader(blocks: readerBlocks, schema: input.schema.schema, context: context, metrics: shuffleMetrics)
    }

    /// Frees the shuffle data and its memory once the query is done (spill files go with the
    /// query's spill directory).
    func release() {
        guard let materialized = output.withLock({ state -> Materialized? in
            defer { state = nil }
            return state
        }) else { return }
        materialized.memory.unregister(self)
        materialized.memory.release(materialized.mapOutputs.reduce(0) { $0 + $1.reservedBytes })
    }
}

extension RecordBatch {
    /// The bytes of the rows themselves, whatever buffers hold them: values and offsets of the
    /// rows only, a validity bitmap only when there are nulls, and for a dictionary-encoded column
    /// its rows' share of the dictionary, not the whole dictionary each slice points to. The same
    /// rows measure the same after a trip through a spill file.
    var dataSize: Int { columns.reduce(0) { $0 + $1.dataSize } }
}

extension Column {
    var dataSize: Int {
        let validityBytes = nullCount > 0 ? Bitmap.byteCount(forBits: count) : 0
        switch storage {
        case .fixedWidth:
            return validityBytes + count * (type.byteWidth ?? 0)
        case .bits:
            return validityBytes + Bitmap.byteCount(forBits: count)
        case .variableWidth(let offsets, _):
            let used = count == 0 ? 0 : Int(offsets.load(count, as: Int32.self)) - Int(offsets.load(0, as: Int32.self))
            return validityBytes + (count + 1) * 4 + used
        case .dictionary(_, let dictionary):
            let share = dictionary.count == 0 ? 0 : dictionary.dataSize * count / dictionary.count
            return validityBytes + count * 4 + min(dictionary.dataSize, share)
        case .list, .structure:
            return byteSize
        }
    }
}
