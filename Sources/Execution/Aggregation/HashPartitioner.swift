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
        precondition(count > 0, "no partitions")
        if count == 1 { return [batch] }
        let rows = batch.rowCount
        var hashes = rowHashes(keyColumns.map { batch.columns[$0] }, rowCount: rows)
        if seed != 0 {
            for row in 0..<rows { hashes[row] = ValueHashing.mix(hashes[row] ^ seed) }
        }
        var partitionOf = [Int32](repeating: 0, count: rows)
        var sizes = [Int](repeating: 0, count: count)
        for row in 0..<rows {
            let partition = partitionIndex(hashes[row], count: count)
            partitionOf[row] = Int32(partition)
            sizes[partition] += 1
        }
        // Counting sort of the row numbers by partition, stable.
        var starts = [Int](repeating: 0, count: count + 1)
        for p in 0..<count { starts[p + 1] = starts[p] + sizes[p] }
        var next = starts
        var order = [Int32](repeating: 0, count: rows)
        for row in 0..<rows {
            let p = Int(partitionOf[row])
            order[next[p]] = Int32(row)
            next[p] += 1
        }
        return (0..<count).map { p in
            let size = sizes[p]
            if size == rows { return batch }
            let indices = Buffer(byteCount: size * 4) { raw in
                order.withUnsafeBytes { raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[(starts[p] * 4)..<(starts[p + 1] * 4)])) }
            }
            return RecordBatch(schema: batch.schema, columns: batch.columns.map { $0.gatherKeepingDictionary(indices, count: size) },
                               rowCount: size)
        }
    }

    /// One hash per row over `columns` (all `rowCount` long); no columns hash every row alike.
    public static func rowHashes(_ columns: [Column], rowCount: Int) -> [UInt64] {
        var hashes = [UInt64](repeating: ValueHashing.secret0, count: rowCount)
        hashes.withUnsafeMutableBufferPointer { buffer in
            for (i, column) in columns.enumerated() {
                precondition(column.count == rowCount, "key column of \(column.count) rows in a batch of \(rowCount)")
                ColumnHashing.hash(column, into: buffer.baseAddress!, combine: i > 0)
            }
        }
        return hashes
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
    func gatherKeepingDictionary(_ indices: Buffer, count: Int) -> Column {
        guard case .dictionary(let dictionaryIndices, let dictionary) = storage else {
            return gather(indices: indices, count: count)
        }
        let gathered = Column(type: .int32, count: self.count, validity: validity, nullCount: nullCount,
                              storage: .fixedWidth(dictionaryIndices)).gather(indices: indices, count: count)
        guard case .fixedWidth(let newIndices) = gathered.storage else { preconditionFailure("gathered indices are fixed width") }
        return Column(type: type, count: count, validity: gathered.validity, nullCount: gathered.nullCount,
                      storage: .dictionary(indices: newIndices, dictionary: dictionary))
    }
}
