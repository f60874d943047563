import Columnar

/// One map task's side of a shuffle: buffers the task's batches per reduce partition against the
/// query's memory budget and, when a reservation fails, writes everything buffered (and the batch
/// in hand) to one spill file with a segment per reduce partition, then starts over empty. (A
/// spilling aggregation uses one the same way, its partitions being hash buckets.)
///
/// A map task's writer also spills when another operator of the task needs the memory
/// (`TaskMemoryConsumer`), which it may ask for between the writer's batches.
final class ShuffleMapWriter: TaskMemoryConsumer {
    let mapTask: Int
    let reducers: Int
    let schema: Schema
    private let context: TaskContext
    private let metrics: ShuffleMetrics
    /// Spill files are named `<filePrefix>-<n>.data`.
    private let filePrefix: String
    private var buffered: [[CompactBatch]]
    private var footprint = BufferFootprint()
    private var reserved = 0
    private var spills: [SpillFile] = []
    private var serializer: BatchSerializer?
    private var bytes: [Int]
    private var rows: [Int]
    private var finished = false

    init(mapTask: Int, reducers: Int, schema: Schema, filePrefix: String, context: TaskContext, metrics: ShuffleMetrics) {
        self.mapTask = mapTask
        self.reducers = reducers
        self.schema = schema
        self.context = context
        self.metrics = metrics
        self.filePrefix = filePrefix
        buffered = Array(repeating: [], count: reducers)
        bytes = Array(repeating: 0, count: reducers)
        rows = bytes
    }

    deinit { abort() }

    /// Takes one batch's rows, split by reduce partition (`parts[i]` for partition `i`).
    func write(_ parts: [RecordBatch]) throws {
        precondition(parts.count == reducers, "a part per reduce partition")
        try store(parts.map { $0.rowCount > 0 ? CompactBatch($0) : nil })
    }

    /// Takes the rows of `batch`, partition `i` getting the rows `split.rows(i)`: each part is
    /// gathered straight into the form the writer keeps.
    func write(_ batch: RecordBatch, split: PartitionSplit) throws {
        precondition(split.partitionCount == reducers, "a part per reduce partition")
        if let whole = (0..<reducers).first(where: { split.rows($0).count == batch.rowCount }) {
            return try store((0..<reducers).map { $0 == whole ? CompactBatch(batch) : nil })
        }
        let layouts = CompactBatch.layouts(of: batch)
        try store((0..<reducers).map { i in
            let rows = split.rows(i)
            return rows.isEmpty ? nil : CompactBatch(gathering: batch, rows: rows, layouts: layouts)
        })
    }

    /// Keeps `parts` (one per reduce partition, nil for none) in memory if the budget grants
    /// it, or spills them with everything buffered.
    private func store(_ parts: [CompactBatch?]) throws {
        var needed = 0
        for (i, part) in parts.enumerated() {
            guard let part else { continue }
            rows[i] += part.rowCount
            // The sizes AQE plans with are the batches', not what the shuffle keeps of them.
            bytes[i] += part.dataSize
            needed += footprint.add(part)
        }
        if context.memory.tryReserve(needed) {
            reserved += needed
            for (i, part) in parts.enumerated() { if let part { buffered[i].append(part) } }
        } else {
            try spill(adding: parts)
        }
    }

    /// Writes the buffered batches, then `parts`, to a new spill file and frees the buffers.
    private func spill(adding parts: [CompactBatch?]?) throws {
        let path = try context.spillDirectory.newFilePath(prefix: filePrefix, extension: "data")
        if serializer == nil { serializer = BatchSerializer(compress: context.spillDirectory.compress) }
        let writer = try SpillFileWriter(path: path, serializer: serializer!)
        for i in 0..<reducers {
            let added = parts?[i].map { [$0] } ?? []
            try writer.writeSegment((buffered[i] + added).map(\.batch))
        }
        let file = try writer.finish()
        spills.append(file)
        metrics.recordSpill(mapTask: mapTask, bytes: file.byteCount)
        freeBuffers()
    }

    private func freeBuffers() {
        for i in 0..<reducers { buffered[i].removeAll() }
        footprint.reset()
        context.memory.release(reserved)
        reserved = 0
    }

    /// Hands over what was written; the reservation for the batches kept in memory goes with them.
    /// With `spillingRemainder`, those are written to a last spill file first, so everything is on
    /// disk and nothing stays reserved.
    func finish(spillingRemainder: Bool = false) throws -> MapOutput {
        if spillingRemainder && reserved > 0 { try spill(adding: nil) }
        finished = true
        metrics.recordWrite(mapTask: mapTask, bytes: bytes, rows: rows)
        let output = MapOutput(spills: spills, inMemory: buffered, reservedBytes: reserved)
        reserved = 0
        buffered = []
        return output
    }

    /// Spills what is buffered, for another operator of the task.
    func yieldMemory() throws -> Int {
        let released = reserved
        guard released > 0, !finished else { return 0 }
        try spill(adding: nil)
        return released
    }

    /// Gives back the memory of a task that failed (its spill files go with the spill directory).
    func abort() {
        guard !finished else { return }
        finished = true
        freeBuffers()
    }

    /// Rows and bytes (in-memory size) written so far.
    var rowCount: Int { rows.reduce(0, +) }
    var byteCount: Int { bytes.reduce(0, +) }
    /// Spill files written so far and their bytes.
    var spillFiles: Int { spills.count }
    var spillBytes: Int { spills.reduce(0) { $0 + $1.byteCount } }
}
