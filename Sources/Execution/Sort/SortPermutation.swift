/// The sorted order of rows by normalised keys: a most-significant-first sort, one key word
/// at a time.
///
/// Each level packs (key word, row number) into a `UInt128` per row of the range and sorts
/// those integers (radix sort for large ranges, see `RadixSort`); runs of rows that tie on the word are then sorted by the next word of the same
/// key (long strings, decimals) or by the next key. Every comparison is one integer comparison,
/// the row number in the low bits makes the order stable, and with a limit, runs that start
/// past it are left unsorted.
enum SortPermutation {
    /// Row numbers `0..<rowCount` in sorted order (only the first `limit` when given).
    /// `radixThreshold`: ranges at least this long are radix sorted (tests lower it).
    static func sortedRows(_ keys: [SortKeyColumn], rowCount: Int, limit: Int? = nil,
                           radixThreshold: Int = RadixSort.threshold) -> [UInt32] {
        precondition(rowCount <= Int(UInt32.max), "too many rows to sort")
        var order = (0..<rowCount).map { UInt32(truncatingIfNeeded: $0) }
        guard !keys.isEmpty, rowCount > 1 else { return order }
        let end = min(limit ?? rowCount, rowCount)
        let scratch = UnsafeMutablePointer<UInt128>.allocate(capacity: rowCount)
        defer { scratch.deallocate() }
        let radixScratch = rowCount >= radixThreshold ? UnsafeMutablePointer<UInt128>.allocate(capacity: rowCount) : nil
        defer { radixScratch?.deallocate() }
        order.withUnsafeMutableBufferPointer { orderBuffer in
            let rows = orderBuffer.baseAddress!
            var work: [(lower: Int, upper: Int, key: Int, depth: Int)] = [(0, rowCount, 0, 0)]
            while let (lower, upper, keyIndex, depth) = work.popLast() {
                let key = keys[keyIndex]
                let count = upper - lower
                key.pack(rows: rows + lower, count: count, depth: depth, into: scratch + lower)
                if let radixScratch, count >= radixThreshold {
                    RadixSort.sort(scratch + lower, scratch: radixScratch, count: count)
                } else {
                    var level = UnsafeMutableBufferPointer(start: scratch + lower, count: count)
                    level.sort()
                }
                for i in lower..<upper { rows[i] = UInt32(truncatingIfNeeded: scratch[i]) }
                // Runs of equal words need the next level.
                var start = lower
                while start < upper && start < end {
                    let word = scratch[start] >> 32
                    var stop = start + 1
                    while stop < upper && scratch[stop] >> 32 == word { stop += 1 }
                    if stop - start > 1 {
                        if !key.isLastLevel(scratch[start], depth: depth) {
                            work.append((start, stop, keyIndex, depth + 1))
                        } else if keyIndex + 1 < keys.count {
                            work.append((start, stop, keyIndex + 1, 0))
                        }
                    }
                    start = stop
                }
            }
        }
        if end < rowCount { order.removeSubrange(end...) }
        return order
    }
}
