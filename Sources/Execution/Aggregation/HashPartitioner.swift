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
    /// join's key expressions) rather than of some of the batch's own columns. (A shuffle's map
    /// tasks `split` their batches and gather each partition's rows as they keep them.)
    public static func partition(_ batch: RecordBatch, keys: [Column], into count: Int, seed: UInt64 = 0) -> [RecordBatch] {
        precondition(count > 0, "no partitions")
        if count == 1 { return [batch] }
        let split = self.split(rowCount: batch.rowCount, keys: keys, into: count, seed: seed, scratch: PartitionScratch())
        return (0..<count).map { p in
            let indices = split.rows(p)
            if indices.count == batch.rowCount { return batch }
            // Callers keep the parts beyond this batch: memory to size, not from the pool.
            return RecordBatch(schema: batch.schema, columns: batch.columns.map { ColumnGather.gather($0, indices: indices, pooled: false) },
                               rowCount: indices.count)
        }
    }

    /// The row numbers of a batch grouped by partition, in `scratch`'s memory (valid until its
    /// next use): a stable counting sort of the rows by the partition of their keys' hash.
    static func split(rowCount rows: Int, keys: [Column], into count: Int, seed: UInt64 = 0,
                      scratch: PartitionScratch) -> PartitionSplit {
        precondition(count > 0, "no partitions")
        precondition(rows <= Int(Int32.max), "a batch of \(rows) rows")
        scratch.reserve(rows: rows)
        let hashes = scratch.hashes
        // Partition p's rows are order[starts[p] ..< starts[p + 1]]. The rows go in four lanes
        // (quarters, the last one with the rest), each with its own counters, taken in turn:
        // rows of one partition in a run (a skewed key) would otherwise each wait for the
        // previous row's increment of the same counter. Lane l's counters are
        // lanes[l * count ..< (l + 1) * count].
        let order = scratch.order.baseAddress.assumingMemoryBound(to: Int32.self)
        var starts = [Int](repeating: 0, count: count + 1)
        let lanes = UnsafeMutablePointer<Int>.allocate(capacity: 4 * count)
        defer { lanes.deallocate() }
        lanes.initialize(repeating: 0, count: 4 * count)
        let (lane0, lane1, lane2, lane3) = (lanes, lanes + count, lanes + 2 * count, lanes + 3 * count)
        let laneRows = rows / 4
        // A lone BIGINT-like key without NULLs is hashed in the counting pass below, the same
        // way `rowHashes` would, without a pass of its own to write the hashes first.
        let lone = seed == 0 ? Self.loneInt64Key(keys, rowCount: rows) : nil
        if lone == nil {
            rowHashes(keys, rowCount: rows, into: hashes)
            if seed != 0 {
                for row in 0..<rows { hashes[row] = ValueHashing.mix(hashes[row] ^ seed) }
            }
        }
        /// `body(row, its lane's counters)` for every row, the four lanes in turn.
        @inline(__always) func inLanes(_ body: (Int, UnsafeMutablePointer<Int>) -> Void) {
            for i in 0..<laneRows {
                body(i, lane0)
                body(laneRows &+ i, lane1)
                body(2 &* laneRows &+ i, lane2)
                body(3 &* laneRows &+ i, lane3)
            }
            for row in (4 * laneRows)..<rows { body(row, lane3) }
        }
        // Each row's partition replaces its hash, which is not needed any more, and is counted
        // in the same pass.
        if let lone {
            inLanes { row, lane in
                let p = partitionIndex(Int64.valueHash(lone[row]), count: count)
                hashes[row] = UInt64(truncatingIfNeeded: p)
                lane[p] &+= 1
            }
        } else {
            inLanes { row, lane in
                let p = partitionIndex(hashes[row], count: count)
                hashes[row] = UInt64(truncatingIfNeeded: p)
                lane[p] &+= 1
            }
        }
        // Counts become each lane's first position in its partition: lane 0's rows first.
        var position = 0
        for p in 0..<count {
            starts[p] = position
            for lane in 0..<4 {
                let laneCount = lanes[lane &* count &+ p]
                lanes[lane &* count &+ p] = position
                position &+= laneCount
            }
        }
        starts[count] = position
        inLanes { row, lane in
            let p = Int(truncatingIfNeeded: hashes[row])
            order[lane[p]] = Int32(truncatingIfNeeded: row)
            lane[p] &+= 1
        }
        return PartitionSplit(order: scratch.order, starts: starts)
    }

    /// The values of `keys` when they are one plain column without NULLs that `ColumnHashing`
    /// hashes as `Int64` (BIGINT, timestamps).
    private static func loneInt64Key(_ keys: [Column], rowCount: Int) -> UnsafePointer<Int64>? {
        guard keys.count == 1, keys[0].nullCount == 0, keys[0].count == rowCount, case .fixedWidth(let data) = keys[0].storage,
              NumericKind(keys[0].type) == .int64, data.byteCount >= rowCount * 8 else { return nil }
        return UnsafePointer(data.baseAddress.assumingMemoryBound(to: Int64.self))
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
