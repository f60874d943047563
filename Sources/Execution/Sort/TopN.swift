import Columnar

/// The first `limit` rows in sort order of a stream of batches (ORDER BY … LIMIT n), keeping
/// only about `limit` rows in memory.
///
/// Incoming rows are first screened against the current `limit`-th row by the first word of the
/// first key alone (a row whose word sorts after it cannot make the cut); the survivors are
/// collected and, once they are as many as `limit` (at least 4096), sorted with the rows kept so
/// far, keeping the best `limit`. Ties keep arrival order, as in a full stable sort.
public struct TopN {
    public let schema: Schema
    public let keys: [SortColumn]
    public let limit: Int

    private var kept: [RecordBatch] = []
    private var keptRows = 0
    private var pending: [RecordBatch] = []
    private var pendingRows = 0
    /// The packed first-level key of the `limit`-th row, without its row number, once there
    /// are `limit` rows.
    private var cutoff: UInt128?

    public init(schema: Schema, keys: [SortColumn], limit: Int) throws {
        guard limit >= 0, limit < Int(UInt32.max) / 2 else { throw ExecutionError.unsupported("top-N with limit \(limit)") }
        for key in keys {
            guard schema.fields.indices.contains(key.column) else {
                throw ExecutionError.unsupported("sort key column \(key.column) of \(schema.fields.count)")
            }
            guard SortKeyColumn.isSortable(schema.fields[key.column].type) else {
                throw ExecutionError.unsupported("sorting by \(schema.fields[key.column].type) values")
            }
        }
        self.schema = schema
        self.keys = keys
        self.limit = limit
    }

    public mutating func add(_ batch: RecordBatch) throws {
        guard limit > 0, batch.rowCount > 0 else { return }
        guard batch.columns.map(\.type) == schema.fields.map(\.type) else {
            throw ExecutionError.unsupported("top-N batch of another schema")
        }
        var batch = batch
        if keys.isEmpty {
            // No order: the first rows win.
            guard keptRows < limit else { return }
            if batch.rowCount > limit - keptRows { batch = batch.slice(0..<(limit - keptRows)) }
            kept.append(batch)
            keptRows += batch.rowCount
            return
        }
        if let cutoff {
            let words = try firstLevelKeys(of: batch)
            var survivors: [Int32] = []
            for row in 0..<batch.rowCount where words[row] >> 32 <= cutoff >> 32 { survivors.append(Int32(row)) }
            if survivors.isEmpty { return }
            if survivors.count < batch.rowCount {
                let indices = Buffer(copying: survivors)
                batch = RecordBatch(schema: schema, columns: batch.columns.map { $0.gatherKeepingDictionary(indices, count: survivors.count) },
                                    rowCount: survivors.count)
            }
        }
        pending.append(batch)
        pendingRows += batch.rowCount
        if pendingRows >= max(limit, 4096) { try compact() }
    }

    /// The best `limit` rows, sorted, in batches of at most `BatchSorter.maxBatchRows`.
    public mutating func finish() throws -> [RecordBatch] {
        if keys.isEmpty {
            return kept.isEmpty ? [] : BatchGather.gather(kept, schema: schema, rows: Array(0..<UInt32(keptRows))[...], maxRows: BatchSorter.maxBatchRows)
        }
        if !pending.isEmpty { try compact() }
        return kept
    }

    private mutating func compact() throws {
        let all = kept + pending
        kept = try BatchSorter.sort(all, by: keys, limit: limit)
        keptRows = kept.reduce(0) { $0 + $1.rowCount }
        pending = []
        pendingRows = 0
        if keptRows == limit, let last = kept.last {
            cutoff = try firstLevelKeys(of: last.slice((last.rowCount - 1)..<last.rowCount))[0]
        }
    }

    /// Each row's packed key at the first level of the first sort key.
    private func firstLevelKeys(of batch: RecordBatch) throws -> [UInt128] {
        let key = try BatchSorter.keyColumns([batch], schema: schema, keys: [keys[0]], rowCount: batch.rowCount)[0]
        let rows = (0..<batch.rowCount).map { UInt32($0) }
        var packed = [UInt128](repeating: 0, count: batch.rowCount)
        rows.withUnsafeBufferPointer { rows in
            packed.withUnsafeMutableBufferPointer { key.pack(rows: rows.baseAddress!, count: rows.count, depth: 0, into: $0.baseAddress!) }
        }
        return packed
    }
}
