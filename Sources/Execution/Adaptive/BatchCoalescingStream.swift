import Columnar

/// Joins runs of small batches into batches of about `targetRows`: a coalesced shuffle read
/// brings one small piece per map task and reduce partition, and operators pay a fixed cost
/// per batch. Batches already big enough pass through untouched.
final class BatchCoalescingStream: BatchStream {
    static let targetRows = 32 * 1024

    let input: any BatchStream
    private var pending: [RecordBatch] = []
    private var pendingRows = 0
    private var passThrough: RecordBatch?

    init(_ input: any BatchStream) { self.input = input }

    func next() throws -> RecordBatch? {
        if let batch = passThrough {
            passThrough = nil
            return batch
        }
        while let batch = try input.next() {
            if batch.rowCount == 0 { continue }
            if batch.rowCount >= Self.targetRows / 4 {
                // Big enough alone: flush what is pending first, keep the order.
                if pending.isEmpty { return batch }
                passThrough = batch
                return flush()
            }
            pending.append(batch)
            pendingRows += batch.rowCount
            if pendingRows >= Self.targetRows { return flush() }
        }
        return pending.isEmpty ? nil : flush()
    }

    private func flush() -> RecordBatch {
        defer {
            pending = []
            pendingRows = 0
        }
        if pending.count == 1 { return pending[0] }
        let schema = pending[0].schema
        let columns = schema.fields.indices.map { c in Column.concatenated(pending.map { $0.columns[c] }) }
        return RecordBatch(schema: schema, columns: columns, rowCount: pendingRows)
    }
}
