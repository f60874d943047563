import Columnar

/// The rows of one batch grouped by partition (`HashPartitioner.split`): partition `p`'s row
/// numbers, in row order, are `order[starts[p] ..< starts[p + 1]]`. `order` is the scratch
/// memory of the split, which the next split with the same scratch overwrites.
struct PartitionSplit {
    /// Row numbers (`Int32`), grouped by partition.
    let order: Buffer
    let starts: [Int]

    var partitionCount: Int { starts.count - 1 }

    /// The row numbers of partition `p`.
    func rows(_ p: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: order.baseAddress.assumingMemoryBound(to: Int32.self) + starts[p], count: starts[p + 1] - starts[p])
    }
}
