import Columnar

/// A reduce task's stream over the blocks a `ShufflePartitionSpec` names: for each block, the map
/// task's spill segments (read a frame at a time) and then its in-memory batches. It lets go of
/// each batch as it hands it on, so memory an exchange spilled meanwhile is freed as it is read.
///
/// In-memory batches in a row (of one block, and of the blocks after it that spilled nothing)
/// come out joined, up to `BatchCoalescingStream.targetRows`: a map task leaves one small piece
/// per batch it split, and joining them while widening them copies each row once.
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
                var pieces: [CompactBatch] = []
                var rows = 0
                while true {
                    let current = blocks[blockIndex]
                    while memoryIndex < current.inMemory.count && rows < BatchCoalescingStream.targetRows {
                        let piece = current.inMemory[memoryIndex]
                        pieces.append(piece)
                        rows += piece.rowCount
                        memoryIndex += 1
                        metrics.recordRead(reducer: current.reducer, bytes: piece.dataSize, rows: piece.rowCount, spillBytes: 0)
                    }
                    guard memoryIndex == current.inMemory.count else { break }
                    blocks[blockIndex].inMemory = []
                    // The next block's batches follow at once when it spilled nothing.
                    guard rows < BatchCoalescingStream.targetRows, blockIndex + 1 < blocks.count,
                          blocks[blockIndex + 1].spills.isEmpty else { break }
                    blockIndex += 1
                    spillIndex = 0
                    memoryIndex = 0
                }
                return CompactBatch.concatenated(pieces)
            }
            blockIndex += 1
            spillIndex = 0
            memoryIndex = 0
        }
        return nil
    }
}
