import Columnar

/// The build side of a hash join: its rows, kept as the batches they came in, chained by the
/// hash of their key values. Read-only once built, so the tasks of a broadcast join share one.
///
/// Rows with a NULL key are not chained (NULL never equals anything) but stay addressable, so
/// an outer join can still output them. Equal hashes only make candidates: the join checks the
/// key equality (and any other condition) on the candidate pairs.
final class JoinHashTable: @unchecked Sendable {
    let rows: BatchGather.Prepared
    let rowCount: Int
    private let hashes: [UInt64]
    /// Slot → first row + 1 of its chain (0: empty); row → next row + 1 in the chain.
    private let heads: [Int32]
    private let next: [Int32]
    private let mask: Int
    /// Bytes of the build rows, for metrics and the memory budget.
    let byteSize: Int

    /// The build rows' batches (for values computed over them, such as dynamic pruning's keys).
    let batches: [RecordBatch]

    init(batches: [RecordBatch], schema: Schema, keys: [CompiledExpression]) throws {
        // Gathering needs one batch at least, if only an empty one.
        let nonEmpty = batches.filter { $0.rowCount > 0 }
        self.batches = nonEmpty
        rows = BatchGather.Prepared(nonEmpty.isEmpty ? [RecordBatch(schema: schema, columns: schema.fields.map { Column.nulls($0.type, count: 0) }, rowCount: 0)] : nonEmpty, schema: schema)
        var hashes: [UInt64] = []
        var hasKey: [Bool] = []
        for batch in nonEmpty {
            let keyColumns = try keys.map { try $0.evaluate(batch) }
            hashes += HashPartitioner.rowHashes(keyColumns, rowCount: batch.rowCount)
            hasKey += JoinHashTable.nonNullRows(keyColumns, rowCount: batch.rowCount)
        }
        rowCount = hashes.count
        guard rowCount < Int(Int32.max) else { throw ExecutionError.unsupported("a hash join build side of more than 2^31 rows") }
        var capacity = 16
        while capacity < rowCount * 2 { capacity <<= 1 }
        mask = capacity - 1
        var heads = [Int32](repeating: 0, count: capacity)
        var next = [Int32](repeating: 0, count: rowCount)
        // Inserted last to first, so each chain lists its rows in build order.
        for row in stride(from: rowCount - 1, through: 0, by: -1) where hasKey[row] {
            let slot = JoinHashTable.slot(hashes[row], mask)
            next[row] = heads[slot]
            heads[slot] = Int32(row + 1)
        }
        self.hashes = hashes
        self.heads = heads
        self.next = next
        byteSize = batches.reduce(0) { $0 + $1.byteSize } + capacity * 4 + rowCount * 12
    }

    /// `key` evaluated over every build batch.
    func keyColumns(_ key: CompiledExpression) throws -> [Column] {
        try batches.map { try key.evaluate($0) }
    }

    @inline(__always)
    private static func slot(_ hash: UInt64, _ mask: Int) -> Int {
        // The low bits: a hash exchange already fixed the high ones within a partition.
        Int(truncatingIfNeeded: hash ^ (hash >> 32)) & mask
    }

    /// Whether each row has no NULL key (rows with one never match).
    static func nonNullRows(_ keys: [Column], rowCount: Int) -> [Bool] {
        var present = [Bool](repeating: true, count: rowCount)
        for key in keys where key.nullCount > 0 {
            guard let validity = key.validity?.baseAddress else { continue }
            for row in 0..<rowCount where !Bitmap.isSet(validity, row) { present[row] = false }
        }
        return present
    }

    /// A position in the probe: the probe row, and the next build row of its chain to visit.
    struct Cursor {
        var probeRow = 0
        var chain: Int32 = -1
    }

    /// Appends (probe row, build row) candidate pairs for the probe rows from `cursor` on, until
    /// `limit` pairs are added or the rows end; returns whether the rows ended.
    func candidates(hashes probeHashes: [UInt64], present: [Bool], cursor: inout Cursor, limit: Int,
                    probeRows: inout [Int32], buildRows: inout [UInt32]) -> Bool {
        let count = probeHashes.count
        var added = 0
        return hashes.withUnsafeBufferPointer { buildHashes in
            heads.withUnsafeBufferPointer { heads in
                next.withUnsafeBufferPointer { next in
                    while cursor.probeRow < count {
                        let row = cursor.probeRow
                        if present[row] {
                            let hash = probeHashes[row]
                            var entry = cursor.chain >= 0 ? cursor.chain : heads[JoinHashTable.slot(hash, mask)]
                            while entry != 0 {
                                let build = Int(entry) - 1
                                if buildHashes[build] == hash {
                                    if added == limit {
                                        cursor.chain = entry
                                        return false
                                    }
                                    probeRows.append(Int32(row))
                                    buildRows.append(UInt32(build))
                                    added += 1
                                }
                                entry = next[build]
                            }
                        }
                        cursor.probeRow += 1
                        cursor.chain = -1
                    }
                    return true
                }
            }
        }
    }
}
