import Columnar

/// Sorts the rows of record batches, Spark's way: numbers by value (NaN largest, -0.0 equal to
/// 0.0), decimals by value, strings and binary bytewise, false before true, dates and
/// timestamps in time order, NULLs first or last per key; rows that tie on every key keep their
/// input order.
///
/// Implementation notes: each key column is turned once into order-preserving 64-bit words
/// (`SortKeyColumn`); the rows are then ordered by integer sorts, one word at a time
/// (`SortPermutation`), and finally copied into new batches (`BatchGather`).
public enum BatchSorter {
    public static let maxBatchRows = 65_536

    /// The rows of `batches` (one schema) sorted by `keys`; with `limit`, only the first `limit`
    /// rows. The result is in batches of at most `maxBatchRows` rows; no rows give no batches.
    public static func sort(_ batches: [RecordBatch], by keys: [SortColumn], limit: Int? = nil) throws -> [RecordBatch] {
        try sort(batches, by: keys, limit: limit, radixThreshold: RadixSort.threshold)
    }

    static func sort(_ batches: [RecordBatch], by keys: [SortColumn], limit: Int?, radixThreshold: Int) throws -> [RecordBatch] {
        guard let schema = batches.first?.schema else { return [] }
        let batches = batches.filter { $0.rowCount > 0 }
        let order = try sortedRows(batches, schema: schema, by: keys, limit: limit, radixThreshold: radixThreshold)
        return BatchGather.gather(batches, schema: schema, rows: order[...], maxRows: maxBatchRows)
    }

    /// The row numbers (over `batches` in sequence) in sorted order, the first `limit` of them.
    static func sortedRows(_ batches: [RecordBatch], schema: Schema, by keys: [SortColumn], limit: Int?,
                           radixThreshold: Int = RadixSort.threshold) throws -> [UInt32] {
        let rowCount = batches.reduce(0) { $0 + $1.rowCount }
        guard rowCount < Int(UInt32.max) else { throw ExecutionError.unsupported("sorting \(rowCount) rows at once") }
        if let limit, limit < 0 { throw ExecutionError.unsupported("negative limit \(limit)") }
        for batch in batches where batch.columns.map(\.type) != schema.fields.map(\.type) {
            throw ExecutionError.unsupported("sorting batches of different schemas")
        }
        let keyColumns = try keyColumns(batches, schema: schema, keys: keys, rowCount: rowCount)
        return SortPermutation.sortedRows(keyColumns, rowCount: rowCount, limit: limit, radixThreshold: radixThreshold)
    }

    static func keyColumns(_ batches: [RecordBatch], schema: Schema, keys: [SortColumn], rowCount: Int) throws -> [SortKeyColumn] {
        try keys.map { key in
            guard schema.fields.indices.contains(key.column) else {
                throw ExecutionError.unsupported("sort key column \(key.column) of \(schema.fields.count)")
            }
            return try SortKeyColumn(batches.map { $0.columns[key.column] }, type: schema.fields[key.column].type,
                                     rowCount: rowCount, ascending: key.ascending, nullsFirst: key.nullsFirst)
        }
    }
}
