/// The working memory of `HashPartitioner.partition`, kept by a map task across its batches.
///
/// Allocated per batch, these buffers (12 bytes a row) come back from malloc as fresh pages
/// each time once the task's kept output has taken the freed ones, and the page faults cost
/// more than the hashing they serve; one set per task touches its pages once.
final class PartitionScratch {
    /// A row's hash, then its partition.
    private(set) var hashes: UnsafeMutablePointer<UInt64>
    /// Row numbers grouped by partition.
    private(set) var order: UnsafeMutablePointer<Int32>
    private var rowCapacity = 0

    init() {
        hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        order = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    }

    deinit {
        hashes.deallocate()
        order.deallocate()
    }

    /// Makes room for `rows` rows (the contents are not kept).
    func reserve(rows: Int) {
        guard rows > rowCapacity else { return }
        hashes.deallocate()
        order.deallocate()
        rowCapacity = max(rows, 2 * rowCapacity)
        hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: rowCapacity)
        order = UnsafeMutablePointer<Int32>.allocate(capacity: rowCapacity)
    }
}
