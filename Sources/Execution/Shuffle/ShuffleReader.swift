import Columnar

/// A reduce task's stream over the blocks a `ShufflePartitionSpec` names: for each block, the map
/// task's spill segments (read a frame at a time) and then its in-memory batches. It lets go of
/// each batch as it hands it on, so memory an exchange spilled meanwhile is freed as it is read.
final class ShuffleReader: BatchStream {
    /// One (reduce partition, map task) block.
    struct Block {
        let reducer: Int
        let spills: [(file: SpillFile, range: Range<Int>)]
        var inMemory: [CompactBatch]
    }

    private var blocks: [Block]
    private let schema: Schema
    private let context: TaskContext?
    private let metrics: ShuffleMetrics
    private var blockIndex = 0
    private var spillIndex = 0
    private var memoryIndex = 0
    private var segment: SpillSegmentReader?

    init(blocks: [Block], schema: Schema, context: TaskContext?, metrics: ShuffleMetrics) {
        self.blocks = blocks
        self.schema = schema
        self.context = context
        self.metrics = metrics
    }

    func next() throws -> RecordBatch? {
        while blockIndex < blocks.count {
            let block = blocks[blockIndex]
            if let reader = segment {
                if let batch = try reader.next() {
                    metrics.recordRead(reducer: block.reducer, bytes: batch.dataSize, rows: batch.rowCount, spillBytes: 0)
                    return batch
                }
                metrics.recordRead(reducer: block.reducer, bytes: 0, rows: 0, spillBytes: reader.bytesRead)
                segment = nil
                spillIndex += 1
            }
            if spillIndex < block.spills.count {
                try context?.checkCancelled()
                let spill = block.spills[spillIndex]
                segment = SpillSegmentReader(path: spill.file.path, range: spill.range, schema: schema)
                continue
            }
            if memoryIndex < block.inMemory.count {
                let batch = block.inMemory[memoryIndex].batch
                memoryIndex += 1
                if memoryIndex == block.inMemory.count { blocks[blockIndex].inMemory = [] }
                metrics.recordRead(reducer: block.reducer, bytes: batch.dataSize, rows: batch.rowCount, spillBytes: 0)
                return batch
            }
            blockIndex += 1
            spillIndex = 0
            memoryIndex = 0
        }
        return nil
    }
}
