import Columnar

/// The working memory of `HashPartitioner.split`, kept by a map task across its batches.
///
/// Allocated per batch, these buffers (12 bytes a row) come back from malloc as fresh pages
/// each time once the task's kept output has taken the freed ones, and the page faults cost
/// more than the hashing they serve. One set per task, from `BufferPool`, touches its pages once
/// per query rather than once per task.
final class PartitionScratch {
    private var hashBuffer: Buffer?
    private var orderBuffer: Buffer?
    private var rowCapacity = 0

    /// A row's hash, then its partition.
    var hashes: UnsafeMutablePointer<UInt64> { hashBuffer!.baseAddress.assumingMemoryBound(to: UInt64.self) }
    /// Row numbers grouped by partition.
    var order: Buffer { orderBuffer! }

    /// Makes room for `rows` rows (the contents are not kept).
    func reserve(rows: Int) {
        guard rows > rowCapacity || hashBuffer == nil else { return }
        rowCapacity = max(rows, 2 * rowCapacity, 1)
        hashBuffer = BufferPool.shared.buffer(byteCount: rowCapacity * 8)
        orderBuffer = BufferPool.shared.buffer(byteCount: rowCapacity * 4)
    }
}
