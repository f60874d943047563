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
///
/// A lone integer key whose build values span a range at most `directSpanPerRow` times the
/// rows or `directSpanFloor` values (TPC-H's keys, a dimension's surrogate key, a hash
/// partition of one) is not hashed
/// at all: its slot is the key minus the smallest key, so each chain holds one key value and a
/// probe row costs one load and no comparison (what DuckDB calls a perfect hash join).
final class JoinHashTable: @unchecked Sendable {
    let rows: BatchGather.Prepared
    let rowCount: Int
    /// The build keys' types.
    let keyTypes: [DataType]
    /// Words per row when the keys are kept as words, else 0 (the keys are hashed).
    let wordsPerRow: Int
    /// The word keys of the chained rows are all distinct (a dimension's primary key, as every
    /// build side of TPC-H has): a probe row stops at its first match instead of walking the
    /// rest of its chain, which holds other keys only.
    let keysAreDistinct: Bool
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
    /// Direct slots: the smallest key word (as a signed value) and the number of slots, one per
    /// value from it on, plus an always empty one that keys outside the range look up; nil for
    /// hashed slots.
    let direct: (low: UInt64, span: Int)?
    /// A Bloom filter of the chained rows' hashes, 8 bits a row, three bits of one 64-bit word
    /// per hash: small enough to stay in a core's cache where `heads` and the keys do not, so
    /// that a probe row without a match mostly costs one cache hit instead of misses in the
    /// table (a fact table meeting a filtered dimension: TPC-H Q5's lineitem finds 15% of its
    /// rows among 227,000 orders).
    private let bloom: UnsafeMutablePointer<UInt64>
    private let bloomMask: Int

    /// At most the bytes per build row the table adds to the rows themselves (see `byteSize`):
    /// up to four 4-byte hashed slots (eight direct ones for a lone key), a chain link, the key
    /// words (or a hash), the row index and the Bloom filter's bit, rounded up. What a build
    /// reserves before it has built (direct slots under `directSpanFloor` come on top).
    static func bytesPerRow(keyCount: Int) -> Int { max(16, keyCount == 1 ? 4 * directSpanPerRow : 0) + 4 + 8 * max(keyCount, 1) + 4 + 1 }

    /// Direct slots are used while the key range is at most this many times the build rows (4
    /// bytes of slots per value: a partition of a shuffled join holds one key in several).
    static let directSpanPerRow = 8
    /// ... or at most this many values (half a megabyte of slots), whatever the rows: the
    /// partitions of a small dimension, such as the one a skewed key's partition meets, hold few
    /// rows each but still span most of its keys.
    static let directSpanFloor = 1 << 17

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
            next.deallocate()
            keyWords?.deallocate()
            hashes?.deallocate()
            throw error
        }
        let direct = stride == 1 ? Self.directRange(keyWords!, present: present, rowCount: rowCount) : nil
        self.direct = direct
        var capacity = 16
        while direct == nil && capacity < rowCount * 2 { capacity <<= 1 }
        mask = capacity - 1
        let slotCount = direct.map { $0.span + 1 } ?? capacity
        heads = .allocate(capacity: slotCount)
        heads.initialize(repeating: 0, count: slotCount)
        // Direct slots decide membership exactly; the filter is not needed.
        var bloomWords = 1
        while direct == nil && bloomWords < rowCount >> 3 { bloomWords <<= 1 }
        bloomMask = bloomWords - 1
        bloom = .allocate(capacity: bloomWords)
        bloom.initialize(repeating: 0, count: bloomWords)
        // Inserted last to first, so each chain lists its rows in build order; a block of rows at
        // a time, their slots first (and the Bloom filter), then the links, so that the loop that
        // reads and writes `heads` at random does nothing else and its misses overlap.
        let (heads, next, keyWords, hashes, mask) = (self.heads, self.next, self.keyWords, self.hashes, self.mask)
        let (bloom, bloomMask) = (self.bloom, self.bloomMask)
        let blockRows = Self.probeBlockRows
        present.withUnsafeBufferPointer { present in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: blockRows) { scratch in
                let slots = scratch.baseAddress!
                var blockEnd = rowCount
                while blockEnd > 0 {
                    let blockStart = max(0, blockEnd - blockRows)
                    for row in blockStart..<blockEnd {
                        var slot = -1
                        if present[row >> 6] & (1 << UInt64(row & 63)) != 0 {
                            if let direct {
                                slot = Int(truncatingIfNeeded: keyWords![row] &- direct.low)
                            } else {
                                let hash = keyWords.map { JoinKeyWords.hash($0 + row &* stride, count: stride) } ?? hashes![row]
                                slot = JoinHashTable.slot(hash, mask)
                                bloom[JoinHashTable.bloomWord(hash, bloomMask)] |= JoinHashTable.bloomBits(hash)
                            }
                        }
                        slots[row &- blockStart] = slot
                    }
                    var row = blockEnd - 1
                    while row >= blockStart {
                        let slot = slots[row &- blockStart]
                        if slot >= 0 {
                            next[row] = heads[slot]
                            heads[slot] = UInt32(truncatingIfNeeded: row &+ 1)
                        }
                        row &-= 1
                    }
                    blockEnd = blockStart
                }
            }
        }
        keysAreDistinct = keyWords.map { Self.chainedKeysAreDistinct(keyWords: $0, stride: stride, next: next, rowCount: rowCount) } ?? false
        byteSize = nonEmpty.reduce(0) { $0 + $1.byteSize } + slotCount * 4 + rowCount * (4 + 8 * max(stride, 1)) + rows.indexByteSize
            + (bloomMask + 1) * 8
    }

    deinit {
        heads.deallocate()
        next.deallocate()
        keyWords?.deallocate()
        hashes?.deallocate()
        bloom.deallocate()
    }

    /// The range of the present rows' key words (one per row) when it is small enough for
    /// direct slots (see `directSpanPerRow`); nil when it is not or no row is present.
    private static func directRange(_ words: UnsafePointer<UInt64>, present: [UInt64], rowCount: Int) -> (low: UInt64, span: Int)? {
        var low = Int64.max, high = Int64.min
        for row in 0..<rowCount where present[row >> 6] >> UInt64(row & 63) & 1 != 0 {
            let key = Int64(bitPattern: words[row])
            low = min(low, key)
            high = max(high, key)
        }
        guard low <= high else { return nil }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < max(directSpanPerRow * rowCount, directSpanFloor) else { return nil }
        return (UInt64(bitPattern: low), Int(span) + 1)
    }

    /// Whether no two rows of a chain have equal key words: each row against the rows after it.
    private static func chainedKeysAreDistinct(keyWords: UnsafePointer<UInt64>, stride: Int, next: UnsafePointer<UInt32>,
                                               rowCount: Int) -> Bool {
        for row in 0..<rowCount {
            var entry = next[row]
            while entry != 0 {
                let other = Int(entry &- 1)
                var equal = true
                for j in 0..<stride where keyWords[row &* stride &+ j] != keyWords[other &* stride &+ j] { equal = false }
                if equal { return false }
                entry = next[other]
            }
        }
        return true
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

    /// The Bloom filter word of a hash (from bits the slot uses little).
    @inline(__always)
    static func bloomWord(_ hash: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: hash >> 24) & mask
    }

    /// The three Bloom filter bits of a hash in its word.
    @inline(__always)
    static func bloomBits(_ hash: UInt64) -> UInt64 {
        (1 &<< (hash >> 46 & 63)) | (1 &<< (hash >> 52 & 63)) | (1 &<< (hash >> 58))
    }

    /// The direct slot of a key word: its offset from the smallest key, or the empty slot after
    /// the range for keys outside it.
    @inline(__always)
    static func directSlot(_ word: UInt64, _ direct: (low: UInt64, span: Int)) -> Int {
        Int(truncatingIfNeeded: min(word &- direct.low, UInt64(direct.span)))
    }

    /// Whether a row with this hash may be in the table (false: it is not).
    @inline(__always)
    private func mayContain(_ hash: UInt64) -> Bool {
        let bits = Self.bloomBits(hash)
        return bloom[Self.bloomWord(hash, bloomMask)] & bits == bits
    }

    /// Clears in `mask` (a bit per row, `rowCount` rows) the rows whose key words the Bloom
    /// filter (or, for direct slots, the empty slot) rules out; returns how many stay set. A set
    /// bit may still find no match (a false positive of the filter), a cleared one never would.
    func clearAbsent(_ probe: UnsafePointer<UInt64>, rowCount: Int, mask: UnsafeMutablePointer<UInt64>) -> Int {
        let stride = wordsPerRow
        var kept = 0
        for row in 0..<rowCount {
            let keep: UInt64
            if let direct {
                keep = heads[Self.directSlot(probe[row], direct)] != 0 ? 1 : 0
            } else {
                let hash = stride == 1 ? JoinKeyWords.hash(probe[row]) : JoinKeyWords.hash(probe + row &* stride, count: stride)
                let bits = Self.bloomBits(hash)
                keep = bloom[Self.bloomWord(hash, bloomMask)] & bits == bits ? 1 : 0
            }
            mask[row >> 6] &= ~((keep ^ 1) << UInt64(row & 63))
            kept &+= Int(truncatingIfNeeded: keep & (mask[row >> 6] >> UInt64(row & 63)))
        }
        return kept
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

    /// Probe rows whose chain heads are looked up together before any chain is walked.
    static let probeBlockRows = 512

    /// The (probe row, build row) pairs with equal key words, for the probe rows from `cursor`
    /// on until `pairs` is full or the rows end (then `cursor.row == rowCount`); returns the
    /// number of pairs. `probe` holds `wordsPerRow` words per row; rows whose bit is clear in
    /// `present` are skipped. `firstOnly`: at most one pair per probe row (semi and anti joins;
    /// what distinct build keys give anyway).
    /// `filtered`: rows go through the Bloom filter before the table.
    ///
    /// Rows go a block at a time: first every row's chain head (independent loads, so the cache
    /// misses of a table larger than the cache overlap), then the chains in row order. Walking
    /// row by row, each row waited for its head, its first key and its next link in turn.
    func matchWords(_ probe: UnsafePointer<UInt64>, present: UnsafePointer<UInt64>?, rowCount: Int, firstOnly: Bool, filtered: Bool,
                    cursor: inout Cursor, into pairs: Pairs) -> Int {
        let firstOnly = firstOnly || keysAreDistinct
        if let direct {
            return matchDirect(probe, direct: direct, present: present, rowCount: rowCount, firstOnly: firstOnly, cursor: &cursor, into: pairs)
        }
        // The block's candidates (rows with a chain), in row order: the row, its chain's first
        // entry, whether that entry's key equals the row's, and the entry after it.
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 3 * Self.probeBlockRows) { scratch in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: Self.probeBlockRows) { flags in
                let candidateRows = scratch.baseAddress!
                let firstEntries = candidateRows + Self.probeBlockRows
                let followingEntries = firstEntries + Self.probeBlockRows
                let firstMatches = flags.baseAddress!
                var added = 0
                var row = cursor.row
                if cursor.entry != 0 {
                    // A chain that filled the last call's pairs goes on first.
                    var entry = cursor.entry
                    guard walkChain(probe, row: row, entry: &entry, firstOnly: firstOnly, added: &added, into: pairs) else {
                        cursor = Cursor(row: row, entry: entry)
                        return added
                    }
                    row &+= 1
                }
                while row < rowCount {
                    let blockEnd = min(rowCount, row &+ Self.probeBlockRows)
                    let candidates = chainHeads(probe, rows: row..<blockEnd, present: present, filtered: filtered,
                                                rows: candidateRows, entries: firstEntries)
                    firstLinks(probe, count: candidates, rows: candidateRows, entries: firstEntries, matches: firstMatches,
                               following: followingEntries)
                    for k in 0..<candidates {
                        row = Int(candidateRows[k])
                        if firstMatches[k] {
                            if added == pairs.capacity {
                                cursor = Cursor(row: row, entry: firstEntries[k])
                                return added
                            }
                            pairs.probeRows[added] = Int32(truncatingIfNeeded: row)
                            pairs.buildRows[added] = firstEntries[k] &- 1
                            added &+= 1
                        }
                        var entry = firstOnly && firstMatches[k] ? 0 : followingEntries[k]
                        if entry != 0 && !walkChain(probe, row: row, entry: &entry, firstOnly: firstOnly, added: &added, into: pairs) {
                            cursor = Cursor(row: row, entry: entry)
                            return added
                        }
                    }
                    row = blockEnd
                }
                cursor = Cursor(row: row, entry: 0)
                return added
            }
        }
    }

    /// `matchWords` with direct slots: a row's slot is its chain, every entry of which matches.
    /// With `firstOnly`, rows go without a branch on the data: each writes its pair, which
    /// counts only when the slot was not empty.
    private func matchDirect(_ probe: UnsafePointer<UInt64>, direct: (low: UInt64, span: Int), present: UnsafePointer<UInt64>?,
                             rowCount: Int, firstOnly: Bool, cursor: inout Cursor, into pairs: Pairs) -> Int {
        let (heads, next) = (self.heads, self.next)
        var added = 0
        var row = cursor.row
        var entry = cursor.entry
        while row < rowCount {
            if firstOnly {
                let end = min(rowCount, row &+ (pairs.capacity &- added))
                guard end > row else { break }
                // A loop per case and everything in locals, so that nothing is tested or
                // reloaded per row but the row's own slot.
                let (probeRows, buildRows) = (pairs.probeRows, pairs.buildRows)
                @inline(__always) func pair(_ r: Int, _ head: UInt32) {
                    probeRows[added] = Int32(truncatingIfNeeded: r)
                    buildRows[added] = head &- 1
                    added &+= Int(truncatingIfNeeded: (head | (0 &- head)) >> 31)
                }
                if let present {
                    for r in row..<end {
                        let head = heads[Self.directSlot(probe[r], direct)]
                        pair(r, head & (0 &- UInt32(truncatingIfNeeded: present[r >> 6] >> UInt64(r & 63) & 1)))
                    }
                } else {
                    var r = row
                    while r < end {
                        pair(r, heads[Self.directSlot(probe[r], direct)])
                        r &+= 1
                    }
                }
                row = end
                continue
            }
            if entry == 0 {
                if let present, present[row >> 6] >> UInt64(row & 63) & 1 == 0 {
                    row &+= 1
                    continue
                }
                entry = heads[Self.directSlot(probe[row], direct)]
            }
            while entry != 0 {
                if added == pairs.capacity {
                    cursor = Cursor(row: row, entry: entry)
                    return added
                }
                pairs.probeRows[added] = Int32(truncatingIfNeeded: row)
                pairs.buildRows[added] = entry &- 1
                added &+= 1
                entry = next[Int(entry &- 1)]
            }
            row &+= 1
        }
        cursor = Cursor(row: row, entry: 0)
        return added
    }

    /// The probe rows in `rows` that have a chain (not a NULL key, not kept out by the Bloom
    /// filter when `filtered`, a non-empty slot), in order, to `candidateRows`, and their
    /// chains' first entries to `entries`; returns how many.
    ///
    /// Two loops without a branch on the data: the rows that pass the filter with their hashes,
    /// then their slots' heads. A mispredicted filter branch threw away the head loads in flight.
    @inline(__always)
    private func chainHeads(_ probe: UnsafePointer<UInt64>, rows: Range<Int>, present: UnsafePointer<UInt64>?, filtered: Bool,
                            rows candidateRows: UnsafeMutablePointer<UInt32>, entries: UnsafeMutablePointer<UInt32>) -> Int {
        let stride = wordsPerRow
        let (heads, mask) = (self.heads, self.mask)
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: rows.count) { scratch in
            let hashes = scratch.baseAddress!
            var passed = 0
            for row in rows {
                let hash = stride == 1 ? JoinKeyWords.hash(probe[row]) : JoinKeyWords.hash(probe + row &* stride, count: stride)
                var keep = present.map { $0[row >> 6] >> UInt64(row & 63) & 1 } ?? 1
                if filtered {
                    let bits = Self.bloomBits(hash)
                    keep &= bloom[Self.bloomWord(hash, bloomMask)] & bits == bits ? 1 : 0
                }
                // Written always, kept only when the row passed.
                candidateRows[passed] = UInt32(truncatingIfNeeded: row)
                hashes[passed] = hash
                passed &+= Int(truncatingIfNeeded: keep)
            }
            var count = 0
            for k in 0..<passed {
                let entry = heads[Self.slot(hashes[k], mask)]
                candidateRows[count] = candidateRows[k]
                entries[count] = entry
                count &+= Int(truncatingIfNeeded: (entry | (0 &- entry)) >> 31)
            }
            return count
        }
    }

    /// For each of `count` candidates: whether its first entry's key words equal the probe
    /// row's, and the entry after it. The loads of different rows are independent, so their
    /// misses overlap; most chains of a join on a unique key end there.
    @inline(__always)
    private func firstLinks(_ probe: UnsafePointer<UInt64>, count: Int, rows: UnsafePointer<UInt32>, entries: UnsafePointer<UInt32>,
                            matches: UnsafeMutablePointer<Bool>, following: UnsafeMutablePointer<UInt32>) {
        let keys = UnsafePointer(keyWords!)
        let stride = wordsPerRow
        let next = self.next
        for k in 0..<count {
            let build = Int(entries[k] &- 1)
            let row = Int(rows[k])
            if stride == 1 {
                matches[k] = keys[build] == probe[row]
            } else {
                let buildKey = keys + build &* stride, key = probe + row &* stride
                var equal = true
                for j in 0..<stride where buildKey[j] != key[j] { equal = false }
                matches[k] = equal
            }
            following[k] = next[build]
        }
    }

    /// Adds the pairs of probe `row` with the build rows of its chain from `entry` on whose key
    /// words equal the row's. False when `pairs` filled up first; `entry` is then the matching
    /// entry not yet added, where the next call goes on.
    @inline(__always)
    private func walkChain(_ probe: UnsafePointer<UInt64>, row: Int, entry: inout UInt32, firstOnly: Bool, added: inout Int,
                           into pairs: Pairs) -> Bool {
        let keys = UnsafePointer(keyWords!)
        let stride = wordsPerRow
        let key = probe + row &* stride
        while entry != 0 {
            let build = Int(entry &- 1)
            var equal = true
            if stride == 1 {
                equal = keys[build] == key[0]
            } else {
                let buildKey = keys + build &* stride
                for j in 0..<stride where buildKey[j] != key[j] { equal = false }
            }
            if equal {
                if added == pairs.capacity { return false }
                pairs.probeRows[added] = Int32(truncatingIfNeeded: row)
                pairs.buildRows[added] = UInt32(truncatingIfNeeded: build)
                added &+= 1
                if firstOnly {
                    entry = 0
                    return true
                }
            }
            entry = next[build]
        }
        return true
    }

    /// The candidate pairs of probe rows with hashed keys: like `matchWords`, for the rows whose
    /// key hash (`probeHashes`, as `HashPartitioner.rowHashes` makes them) equals the build row's.
    func matchHashes(_ probeHashes: UnsafePointer<UInt64>, present: UnsafePointer<UInt64>?, rowCount: Int, filtered: Bool,
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
                if filtered && !mayContain(probeHashes[row]) {
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
