import Columnar

/// The group ids of a dictionary's entries, for a lone dictionary-encoded group key (a Parquet
/// column read as indices, or one a join gathered): a row's group is then the entry of its
/// index, without encoding its value into a key row and looking that up.
///
/// Entries are resolved the first time a row uses them, in row order, through the group
/// table itself; so groups still get their ids in the order their keys first appear, and
/// entries no row uses never become groups. The map lasts while batches share one dictionary
/// (every batch of a row group, or of a join's build side).
final class DictionaryGroupMap {
    /// Dictionaries larger than this are looked up row by row as usual: the map would cost
    /// more memory and setting up than it saves.
    static let maximumEntries = 1 << 16

    /// The values buffer of the dictionary the map is for; held, so its identity stays unique.
    private var dictionaryValues: Buffer?
    /// Group id + 1 of entry `i` at `entries[i]`, 0 until resolved; one more entry, always 0,
    /// where out-of-range indices land.
    private var entries: UnsafeMutablePointer<UInt32>
    private var entryCount = 0
    private var capacity = 0

    init() {
        entries = .allocate(capacity: 1)
    }

    deinit { entries.deallocate() }

    var memoryBytes: Int { capacity * 4 }

    /// The values buffer that tells dictionaries apart, when `column` qualifies: dictionary
    /// encoded, without NULL rows or NULL entries, with at most `maximumEntries` entries.
    static func dictionaryValues(of column: Column) -> Buffer? {
        guard column.nullCount == 0, case .dictionary(_, let dictionary) = column.storage,
              dictionary.nullCount == 0, dictionary.count <= maximumEntries else { return nil }
        // Fixed-width and boolean keys: a lone string key is interned, with no group table.
        switch dictionary.storage {
        case .fixedWidth(let values), .bits(let values): return values
        default: return nil
        }
    }

    /// Writes the group of each of the `count` rows of `column` (which qualifies, see
    /// `dictionaryValues(of:)`, with `values`) to `ids`. `resolve` finds or adds the groups of
    /// the rows of a plain key column, in row order.
    func groupIDs(_ column: Column, values: Buffer, count: Int, into ids: UnsafeMutablePointer<Int32>,
                  resolve: (Column, Int, UnsafeMutablePointer<Int32>) throws -> Void) throws {
        guard case .dictionary(let indexBuffer, let dictionary) = column.storage else { preconditionFailure("a dictionary column") }
        guard indexBuffer.byteCount >= count * 4 else { throw ExecutionError.unsupported("short dictionary index buffer") }
        if dictionaryValues !== values || dictionary.count != entryCount { reset(for: dictionary, values: values) }
        let indices = indexBuffer.baseAddress.assumingMemoryBound(to: Int32.self)
        let entries = self.entries
        let limit = UInt32(truncatingIfNeeded: entryCount)
        // Rows whose entry is resolved get their group; the others -1, which sets the sign bit
        // of `unresolved` (group ids stay below 2^31).
        var unresolved: UInt32 = 0
        for row in 0..<count {
            let group = entries[Int(truncatingIfNeeded: min(UInt32(bitPattern: indices[row]), limit))] &- 1
            ids[row] = Int32(bitPattern: group)
            unresolved |= group
        }
        guard unresolved >> 31 != 0 else { return }
        // The entries the other rows use, each once, in the order the rows first use them.
        var pending: [Int32] = []
        for row in 0..<count where ids[row] < 0 {
            let index = indices[row]
            guard UInt32(bitPattern: index) < limit else {
                for index in pending { entries[Int(index)] = 0 }
                throw ExecutionError.unsupported("dictionary index out of range")
            }
            if entries[Int(index)] == 0 {
                entries[Int(index)] = UInt32.max
                pending.append(index)
            }
        }
        let keys = pending.withUnsafeBufferPointer { ColumnGather.gather(dictionary, indices: $0) }
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: pending.count) { groups in
            do {
                try resolve(keys, pending.count, groups.baseAddress!)
            } catch {
                for index in pending { entries[Int(index)] = 0 }
                throw error
            }
            for (k, index) in pending.enumerated() { entries[Int(index)] = UInt32(truncatingIfNeeded: groups[k]) &+ 1 }
        }
        for row in 0..<count where ids[row] < 0 {
            ids[row] = Int32(bitPattern: entries[Int(indices[row])] &- 1)
        }
    }

    private func reset(for dictionary: Column, values: Buffer) {
        let needed = dictionary.count + 1
        if needed > capacity {
            entries.deallocate()
            capacity = max(needed, 2 * capacity)
            entries = .allocate(capacity: capacity)
        }
        entries.initialize(repeating: 0, count: needed)
        entryCount = dictionary.count
        dictionaryValues = values
    }
}
