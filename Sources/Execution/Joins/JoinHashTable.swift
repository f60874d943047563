import Columnar

/// The build side of a hash join: its rows, kept as the batches they came in, chained by the
/// hash of their key values. Read-only once built, so the tasks of a broadcast join share one.
///
/// Rows with a NULL key are not chained (NULL never equals anything) but stay addressable, so
/// an outer join can still output them. Keys of integer-like types are kept as words
/// (`JoinKeyWords`) and a probe with keys of the same types finds exactly the rows with equal
/// keys; other keys keep only their hash, and equal hashes only make candidates: the join
/// checks the key equality (and any other condition) on the candidate pairs.
///
/// Chains are arrays indexed by row number (`heads` by slot, `next` by row, 0 ending a chain),
/// allocated once and read through raw pointers in the probe loops.
final class JoinHashTable: @unchecked Sendable {
    let rows: BatchGather.Prepared
    let rowCount: Int
    /// The build keys' types.
    let keyTypes: [DataType]
    /// Words per row when the keys are kept as words, else 0 (the keys are hashed).
    let wordsPerRow: Int
    /// Bytes of the build rows and the table, for metrics and the memory budget.
    let byteSize: Int
    /// The build rows' batches (for values computed over them, such as dynamic pruning's keys).
    let batches: [RecordBatch]

    /// Row `r`'s key words at `keyWords[r * wordsPerRow ..< (r + 1) * wordsPerRow]` (word keys).
    private let keyWords: UnsafeMutablePointer<UInt64>?
    /// Row → the hash of its keys (hashed keys).
    private let hashes: UnsafeMutablePointer<UInt64>?
    /// Slot → first row + 1 of its chain (0: empty); row → next row + 1 in the chain.
    private let heads: UnsafeMutablePointer<UInt32>
    private let next: UnsafeMutablePointer<UInt32>
    private let mask: Int

    init(batches: [RecordBatch], schema: Schema, keys: [CompiledExpression]) throws {
        // Gathering needs one batch at least, if only an empty one.
        let nonEmpty = batches.filter { $0.rowCount > 0 }
        self.batches = nonEmpty
        rows = BatchGather.Prepared(nonEmpty.isEmpty ? [RecordBatch(schema: schema, columns: schema.fields.map { Column.nulls($0.type, count: 0) }, rowCount: 0)] : nonEmpty,
                                    schema: schema, indexingRows: true)
        let rowCount = nonEmpty.reduce(0) { $0 + $1.rowCount }
        guard rowCount < Int(Int32.max) else { throw ExecutionError.unsupported("a hash join build side of more than 2^31 rows") }
        self.rowCount = rowCount
        keyTypes = keys.map(\.type)
        let stride = !keys.isEmpty && keyTypes.allSatisfy(JoinKeyWords.holds) ? keys.count : 0
        wordsPerRow = stride

        var capacity = 16
        while capacity < rowCount * 2 { capacity <<= 1 }
        mask = capacity - 1
        heads = .allocate(capacity: capacity)
        heads.initialize(repeating: 0, count: capacity)
        next = .allocate(capacity: max(rowCount, 1))
        next.initialize(repeating: 0, count: max(rowCount, 1))
        keyWords = stride > 0 ? .allocate(capacity: max(rowCount * stride, 1)) : nil
        hashes = stride > 0 ? nil : .allocate(capacity: max(rowCount, 1))
        // Which rows have no NULL key, one bit each.
        var present = [UInt64](repeating: ~0, count: (rowCount + 63) >> 6)
        var base = 0
        do {
            for batch in nonEmpty {
                let columns = try keys.map { JoinKeyWords.resolved(try $0.evaluate(batch)) }
                if let keyWords {
                    for (j, column) in columns.enumerated() {
                        try JoinKeyWords.load(column, into: keyWords + base * stride, stride: stride, offset: j)
                    }
                } else {
                    HashPartitioner.rowHashes(columns, rowCount: batch.rowCount, into: hashes! + base)
                }
                if let batchPresent = JoinKeyWords.present(columns, rowCount: batch.rowCount) {
                    for row in 0..<batch.rowCount where batchPresent[row >> 6] & (1 << UInt64(row & 63)) == 0 {
                        present[(base + row) >> 6] &= ~(1 << UInt64((base + row) & 63))
                    }
                }
                base += batch.rowCount
            }
        } catch {
            // deinit does not run for an object whose init throws.
            heads.deallocate()
            next.deallocate()
            keyWords?.deallocate()
            hashes?.deallocate()
            throw error
        }
        // Inserted last to first, so each chain lists its rows in build order.
        let (heads, next, keyWords, hashes, mask) = (self.heads, self.next, self.keyWords, self.hashes, self.mask)
        present.withUnsafeBufferPointer { present in
            var row = rowCount - 1
            while row >= 0 {
                if present[row >> 6] & (1 << UInt64(row & 63)) != 0 {
                    let hash = keyWords.map { JoinKeyWords.hash($0 + row * stride, count: stride) } ?? hashes![row]
                    let slot = JoinHashTable.slot(hash, mask)
                    next[row] = heads[slot]
                    heads[slot] = UInt32(row + 1)
                }
                row -= 1
            }
        }
        byteSize = nonEmpty.reduce(0) { $0 + $1.byteSize } + capacity * 4 + rowCount * (4 + 8 * max(stride, 1)) + rows.indexByteSize
    }

    deinit {
        heads.deallocate()
        next.deallocate()
        keyWords?.deallocate()
        hashes?.deallocate()
    }

    /// `key` evaluated over every build batch.
    func keyColumns(_ key: CompiledExpression) throws -> [Column] {
        try batches.map { try key.evaluate($0) }
    }

    @inline(__always)
    static func slot(_ hash: UInt64, _ mask: Int) -> Int {
        // The low bits: a hash exchange already fixed the high ones within a partition.
        Int(truncatingIfNeeded: hash ^ (hash >> 32)) & mask
    }

    /// A position in the probe: the probe row, and the build row + 1 of its chain to visit next
    /// (0: the row's chain is not started).
    struct Cursor {
        var row = 0
        var entry: UInt32 = 0
    }

    /// Where matches go: (probe row, build row) pairs, at most `capacity` of them per call.
    struct Pairs {
        let probeRows: UnsafeMutablePointer<Int32>
        let buildRows: UnsafeMutablePointer<UInt32>
        let capacity: Int
    }

    /// The (probe row, build row) pairs with equal key words, for the probe rows from `cursor`
    /// on until `pairs` is full or the rows end (then `cursor.row == rowCount`); returns the
    /// number of pairs. `probe` holds `wordsPerRow` words per row; rows whose bit is clear in
    /// `present` are skipped. `firstOnly`: at most one pair per probe row (semi and anti joins).
    func matchWords(_ probe: UnsafePointer<UInt64>, present: UnsafePointer<UInt64>?, rowCount: Int, firstOnly: Bool,
                    cursor: inout Cursor, into pairs: Pairs) -> Int {
        let keys = UnsafePointer(keyWords!)
        let stride = wordsPerRow
        var added = 0
        var row = cursor.row
        var entry = cursor.entry
        while row < rowCount {
            if entry == 0 {
                if let present, present[row >> 6] & (1 << UInt64(row & 63)) == 0 {
                    row &+= 1
                    continue
                }
                let hash = stride == 1 ? JoinKeyWords.hash(probe[row]) : JoinKeyWords.hash(probe + row &* stride, count: stride)
                entry = heads[Self.slot(hash, mask)]
            }
            if stride == 1 {
                let key = probe[row]
                while entry != 0 {
                    let build = Int(entry &- 1)
                    if keys[build] == key {
                        if added == pairs.capacity {
                            cursor = Cursor(row: row, entry: entry)
                            return added
                        }
                        pairs.probeRows[added] = Int32(truncatingIfNeeded: row)
                        pairs.buildRows[added] = UInt32(truncatingIfNeeded: build)
                        added &+= 1
                        if firstOnly { break }
                    }
                    entry = next[build]
                }
            } else {
                let key = probe + row &* stride
                while entry != 0 {
                    let build = Int(entry &- 1)
                    let buildKey = keys + build &* stride
                    var equal = true
                    for j in 0..<stride where buildKey[j] != key[j] { equal = false }
                    if equal {
                        if added == pairs.capacity {
                            cursor = Cursor(row: row, entry: entry)
                            return added
                        }
                        pairs.probeRows[added] = Int32(truncatingIfNeeded: row)
                        pairs.buildRows[added] = UInt32(truncatingIfNeeded: build)
                        added &+= 1
                        if firstOnly { break }
                    }
                    entry = next[build]
                }
            }
            entry = 0
            row &+= 1
        }
        cursor = Cursor(row: row, entry: 0)
        return added
    }

    /// The candidate pairs of probe rows with hashed keys: like `matchWords`, for the rows whose
    /// key hash (`probeHashes`, as `HashPartitioner.rowHashes` makes them) equals the build row's.
    func matchHashes(_ probeHashes: UnsafePointer<UInt64>, present: UnsafePointer<UInt64>?, rowCount: Int,
                     cursor: inout Cursor, into pairs: Pairs) -> Int {
        let buildHashes = UnsafePointer(hashes!)
        var added = 0
        var row = cursor.row
        var entry = cursor.entry
        while row < rowCount {
            if entry == 0 {
                if let present, present[row >> 6] & (1 << UInt64(row & 63)) == 0 {
                    row &+= 1
                    continue
                }
                entry = heads[Self.slot(probeHashes[row], mask)]
            }
            let hash = probeHashes[row]
            while entry != 0 {
                let build = Int(entry &- 1)
                if buildHashes[build] == hash {
                    if added == pairs.capacity {
                        cursor = Cursor(row: row, entry: entry)
                        return added
                    }
                    pairs.probeRows[added] = Int32(truncatingIfNeeded: row)
                    pairs.buildRows[added] = UInt32(truncatingIfNeeded: build)
                    added &+= 1
                }
                entry = next[build]
            }
            entry = 0
            row &+= 1
        }
        cursor = Cursor(row: row, entry: 0)
        return added
    }
}
