import Columnar

/// Splits batches by a hash of key columns, for the hash exchange between the partial and
/// final phases of an aggregation (and for partitioned joins).
///
/// The hash is deterministic (no per-process seed), depends only on the key values (see
/// `ColumnHashing`: a dictionary-encoded column hashes like its plain form, NULL like NULL), and
/// the partition is taken from its high bits, so it is independent of the low bits that the
/// group tables use.
public enum HashPartitioner {
    /// `count` batches (some possibly empty), the rows of `batch` whose keys hash to partition
    /// `i` in batch `i`, in their original order. Dictionary-encoded columns stay encoded.
    /// A non-zero `seed` gives a split independent of the unseeded one (and of other seeds), for
    /// splitting the rows of one partition again (a spilling aggregation's buckets).
    public static func partition(_ batch: RecordBatch, keyColumns: [Int], into count: Int, seed: UInt64 = 0) -> [RecordBatch] {
        partition(batch, keys: keyColumns.map { batch.columns[$0] }, into: count, seed: seed)
    }

    /// `partition`, by the hash of `keys` (columns as long as the batch, computed from it: a
    /// join's key expressions) rather than of some of the batch's own columns.
    public static func partition(_ batch: RecordBatch, keys: [Column], into count: Int, seed: UInt64 = 0) -> [RecordBatch] {
        precondition(count > 0, "no partitions")
        if count == 1 { return [batch] }
        let rows = batch.rowCount
        precondition(rows <= Int(Int32.max), "a batch of \(rows) rows")
        // The row numbers grouped by partition (a stable counting sort); partition p's rows are
        // order[starts[p] ..< starts[p + 1]].
        let order = UnsafeMutablePointer<Int32>.allocate(capacity: max(rows, 1))
        defer { order.deallocate() }
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: 2 * count + 1)
        defer { starts.deallocate() }
        starts.initialize(repeating: 0, count: 2 * count + 1)
        let next = starts + count + 1
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(rows, 1)) { scratch in
            let hashes = scratch.baseAddress!
            rowHashes(keys, rowCount: rows, into: hashes)
            if seed != 0 {
                for row in 0..<rows { hashes[row] = ValueHashing.mix(hashes[row] ^ seed) }
            }
            // Each row's partition replaces its hash, which is not needed any more.
            for row in 0..<rows {
                let partition = partitionIndex(hashes[row], count: count)
                hashes[row] = UInt64(truncatingIfNeeded: partition)
                starts[partition &+ 1] &+= 1
            }
            for p in 0..<count {
                starts[p &+ 1] &+= starts[p]
                next[p] = starts[p]
            }
            for row in 0..<rows {
                let p = Int(truncatingIfNeeded: hashes[row])
                order[next[p]] = Int32(truncatingIfNeeded: row)
                next[p] &+= 1
            }
        }
        return (0..<count).map { p in
            let size = starts[p + 1] - starts[p]
            if size == rows { return batch }
            let indices = UnsafeBufferPointer(start: order + starts[p], count: size)
            // The parts outlive this batch (a shuffle keeps them): memory to size, not from the pool.
            return RecordBatch(schema: batch.schema, columns: batch.columns.map { ColumnGather.gather($0, indices: indices, pooled: false) },
                               rowCount: size)
        }
    }

    /// One hash per row over `columns` (all `rowCount` long); no columns hash every row alike.
    public static func rowHashes(_ columns: [Column], rowCount: Int) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
            if rowCount > 0 { rowHashes(columns, rowCount: rowCount, into: buffer.baseAddress!) }
            initialized = rowCount
        }
    }

    /// `rowHashes`, written to `hashes[0 ..< rowCount]`.
    static func rowHashes(_ columns: [Column], rowCount: Int, into hashes: UnsafeMutablePointer<UInt64>) {
        if columns.isEmpty {
            hashes.initialize(repeating: ValueHashing.secret0, count: rowCount)
            return
        }
        for (i, column) in columns.enumerated() {
            precondition(column.count == rowCount, "key column of \(column.count) rows in a batch of \(rowCount)")
            ColumnHashing.hash(column, into: hashes, combine: i > 0)
        }
    }

    /// The partition of a row hash: its high bits scaled to `0..<count`.
    @inline(__always)
    public static func partitionIndex(_ hash: UInt64, count: Int) -> Int {
        let spread = ValueHashing.fold(hash ^ ValueHashing.secret2, ValueHashing.secret1)
        return Int(spread.multipliedFullWidth(by: UInt64(count)).high)
    }
}

extension Column {
    /// `gather`, but a dictionary-encoded column stays encoded (only its indices are gathered).
    /// The memory is allocated to size: callers keep the result (sorted runs, partitions).
    func gatherKeepingDictionary(_ indices: Buffer, count: Int) -> Column {
        indices.withUnsafeBufferPointer(as: Int32.self) { idx in
            ColumnGather.gather(self, indices: UnsafeBufferPointer(rebasing: idx[..<count]), pooled: false)
        }
    }
}
