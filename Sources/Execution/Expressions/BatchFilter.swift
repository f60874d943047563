import Columnar

/// Keeps the rows of a batch where a predicate holds.
public enum BatchFilter {
    /// The rows of `batch` where `predicate` (a boolean column) is true (NULL counts as false).
    ///
    /// Dictionary-encoded columns stay encoded (only their indices are filtered); a predicate
    /// that keeps every row returns the batch itself.
    public static func apply(_ predicate: Column, to batch: RecordBatch) -> RecordBatch {
        precondition(predicate.count == batch.rowCount, "predicate has \(predicate.count) rows, batch \(batch.rowCount)")
        let mask = BitWords.trueMask(predicate)
        let setCount = BitWords.popCount(mask, count: batch.rowCount)
        if setCount == batch.rowCount { return batch }
        return select(batch, mask: mask, setCount: setCount)
    }

    /// The rows whose bit is set in `mask` (`setCount` of them).
    static func select(_ batch: RecordBatch, mask: Buffer, setCount: Int) -> RecordBatch {
        let count = batch.rowCount
        var positions: Buffer? = nil
        let columns = batch.columns.map { column -> Column in
            if let compacted = ColumnCompaction.compact(column, mask: mask, count: count, setCount: setCount) { return compacted }
            if positions == nil { positions = BitWords.setPositions(mask, count: count, setCount: setCount) }
            return ColumnGather.gather(column, indices: positions!, count: setCount)
        }
        return RecordBatch(schema: batch.schema, columns: columns, rowCount: setCount)
    }
}
