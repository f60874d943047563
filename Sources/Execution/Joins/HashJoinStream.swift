import Columnar
import Query

/// One task of a hash join: streams probe batches through the build table and outputs the
/// matched pairs, then (for the preserved side of an outer join) the unmatched rows padded with
/// NULLs, or (semi and anti joins) the probe rows that did or did not match.
///
/// With word keys of one type on both sides (`JoinKeyWords`) the table finds exactly the pairs
/// with equal keys; when the condition is nothing but those key equalities it is not evaluated,
/// and a semi or anti join looks for one match per probe row and gathers no pairs at all.
final class HashJoinStream: BatchStream {
    static let maxPairsPerBatch = 64 * 1024

    let join: HashJoinExec
    let table: JoinHashTable
    let probe: any BatchStream
    let context: TaskContext
    let probeKeys: [CompiledExpression]
    /// Which probe-side and build-side rows an outer join must keep when unmatched.
    let keepsProbe: Bool
    let keepsBuild: Bool
    /// A semi or anti join that builds from its left side: probe rows only mark the build rows
    /// they match, and the build rows that matched (semi) or did not (anti) come out at the end.
    let marksBuild: Bool
    /// The probe keys are compared as words (`JoinKeyWords`).
    let comparesWords: Bool
    /// The condition is evaluated on the pairs the table finds (it is not just the key
    /// equalities that word keys decide already).
    let evaluatesCondition: Bool
    let probeWidth: Int
    let buildWidth: Int
    /// Build rows that matched some probe row (for keeping the unmatched ones).
    var buildMatched: [Bool]
    var pending: [RecordBatch] = []
    var probeDone = false
    /// Probe rows go through the table's Bloom filter, until the rows so far show that most
    /// of them match.
    private var filtersProbe = true
    private var probedRows = 0
    private var pairCount = 0
    static let filterTrialRows = 16 * 1024
    private let keyTypeMismatch: ExecutionError?

    /// The pairs of one round of the probe loop.
    private let pairs: JoinHashTable.Pairs
    /// The probe batch's key words or hashes (grown as batches need).
    private var probeKeyScratch: UnsafeMutablePointer<UInt64>
    private var probeKeyCapacity = 0

    init(join: HashJoinExec, table: JoinHashTable, probe: any BatchStream, context: TaskContext) {
        self.join = join
        self.table = table
        self.probe = probe
        self.context = context
        let buildIsLeft = join.buildSide == .left
        probeKeys = join.probeKeys
        keepsProbe = buildIsLeft ? join.type.preservesRight : join.type.preservesLeft
        keepsBuild = buildIsLeft ? join.type.preservesLeft : join.type.preservesRight
        probeWidth = buildIsLeft ? join.rightWidth : join.leftWidth
        buildWidth = buildIsLeft ? join.leftWidth : join.rightWidth
        marksBuild = buildIsLeft && (join.type == .leftSemi || join.type == .leftAnti)
        buildMatched = keepsBuild || marksBuild ? [Bool](repeating: false, count: table.rowCount) : []
        let probeTypes = probeKeys.map(\.type)
        comparesWords = table.wordsPerRow > 0
        // Thrown by the first `next()`: the analyzer gives both sides of a key one type.
        keyTypeMismatch = comparesWords && !probeTypes.allSatisfy(JoinKeyWords.holds)
            ? ExecutionError.unsupported("join keys of types \(table.keyTypes) and \(probeTypes)") : nil
        // Word keys of equal types decide key equality exactly; a condition of nothing else
        // (`a = b AND c = d`, each conjunct a key pair, as the planner takes keys from it) is then
        // already true of every pair.
        let onlyKeys = join.condition.map { condition in
            let conjuncts = condition.conjuncts
            return conjuncts.count == join.leftKeys.count
                && conjuncts.allSatisfy { if case .binary(_, .equal, _) = $0 { true } else { false } }
        } ?? true
        evaluatesCondition = join.compiledCondition != nil && !(comparesWords && probeTypes == table.keyTypes && onlyKeys)
        pairs = JoinHashTable.Pairs(probeRows: .allocate(capacity: Self.maxPairsPerBatch),
                                    buildRows: .allocate(capacity: Self.maxPairsPerBatch), capacity: Self.maxPairsPerBatch)
        probeKeyScratch = .allocate(capacity: 1)
    }

    deinit {
        pairs.probeRows.deallocate()
        pairs.buildRows.deallocate()
        probeKeyScratch.deallocate()
    }

    func next() throws -> RecordBatch? {
        if let keyTypeMismatch { throw keyTypeMismatch }
        while pending.isEmpty {
            if probeDone { return nil }
            try context.checkCancelled()
            if let batch = try probe.next() {
                try joinProbeBatch(batch)
            } else {
                probeDone = true
                if keepsBuild { emitBuildRows(matched: false) }
                if marksBuild { emitBuildRows(matched: join.type == .leftSemi) }
            }
        }
        return pending.removeFirst()
    }

    /// Scratch memory for `count` words.
    private func probeKeyWords(_ count: Int) -> UnsafeMutablePointer<UInt64> {
        if count > probeKeyCapacity {
            probeKeyScratch.deallocate()
            probeKeyCapacity = max(count, 2 * probeKeyCapacity)
            probeKeyScratch = .allocate(capacity: probeKeyCapacity)
        }
        return probeKeyScratch
    }

    private func joinProbeBatch(_ batch: RecordBatch) throws {
        let rowCount = batch.rowCount
        guard rowCount > 0 else { return }
        let type = join.type
        let keys = try probeKeys.map { JoinKeyWords.resolved(try $0.evaluate(batch)) }
        let stride = comparesWords ? table.wordsPerRow : 1
        let keyWords: UnsafePointer<UInt64>
        if comparesWords, stride == 1, let words = JoinKeyWords.direct(keys[0], rowCount: rowCount) {
            keyWords = words
        } else {
            let scratch = probeKeyWords(max(1, rowCount * stride))
            if comparesWords {
                for (j, key) in keys.enumerated() { try JoinKeyWords.load(key, into: scratch, stride: stride, offset: j) }
            } else {
                HashPartitioner.rowHashes(keys, rowCount: rowCount, into: scratch)
            }
            keyWords = UnsafePointer(scratch)
        }
        let present = JoinKeyWords.present(keys, rowCount: rowCount)
        // Semi and anti joins that probe with their left side need only whether a probe row has a
        // match; those that build from it need every build row a probe row matches.
        let semiOrAnti = (type == .leftSemi || type == .leftAnti) && !marksBuild
        let firstOnly = semiOrAnti && !evaluatesCondition
        var probeMatched = [Bool](repeating: false, count: (type == .inner || type == .cross) && !keepsProbe || marksBuild ? 0 : rowCount)
        var cursor = JoinHashTable.Cursor()
        while cursor.row < rowCount {
            let count = (present ?? []).withUnsafeBufferPointer { bits -> Int in
                let present = bits.isEmpty ? nil : bits.baseAddress
                return comparesWords
                    ? table.matchWords(keyWords, present: present, rowCount: rowCount, firstOnly: firstOnly, filtered: filtersProbe,
                                       cursor: &cursor, into: pairs)
                    : table.matchHashes(keyWords, present: present, rowCount: rowCount, filtered: filtersProbe, cursor: &cursor, into: pairs)
            }
            pairCount += count
            guard count > 0 else { continue }
            let probeRows = UnsafeBufferPointer(start: pairs.probeRows, count: count)
            let buildRows = UnsafeBufferPointer(start: pairs.buildRows, count: count)
            if semiOrAnti && !evaluatesCondition {
                for row in probeRows { probeMatched[Int(row)] = true }
                continue
            }
            if marksBuild && !evaluatesCondition {
                for row in buildRows { buildMatched[Int(row)] = true }
                continue
            }
            // Pairs come in probe row order; with at most one per row, as many pairs as rows are
            // every row once, in order.
            let everyRowOnce = count == rowCount && comparesWords && (firstOnly || table.keysAreDistinct)
            var output = pairBatch(batch, probeRows, buildRows, everyRowOnce: everyRowOnce)
            var selected: Buffer?
            if evaluatesCondition, let condition = join.compiledCondition {
                let mask = BitWords.trueMask(try condition.evaluate(output))
                let setCount = BitWords.popCount(mask, count: output.rowCount)
                if setCount < output.rowCount {
                    selected = mask
                    output = BatchFilter.select(output, mask: mask, setCount: setCount)
                }
            }
            // Record which rows matched (pairs that passed the condition).
            if !probeMatched.isEmpty || keepsBuild || marksBuild {
                let base = selected?.baseAddress
                for i in 0..<count where base == nil || Bitmap.isSet(base!, i) {
                    if !probeMatched.isEmpty { probeMatched[Int(probeRows[i])] = true }
                    if keepsBuild || marksBuild { buildMatched[Int(buildRows[i])] = true }
                }
            }
            if marksBuild {
                // The pairs only marked build rows (above); the rows come out at the end.
                continue
            }
            if type.outputsRight && output.rowCount > 0 {
                pending.append(RecordBatch(schema: join.schema.schema, columns: output.columns, rowCount: output.rowCount))
            }
        }
        probedRows += rowCount
        if filtersProbe && probedRows >= Self.filterTrialRows && pairCount * 2 >= probedRows {
            // Most rows match: the filter lets nearly all through and only costs a lookup.
            filtersProbe = false
        }
        switch type {
        case _ where marksBuild: break
        case .leftSemi: emitProbeRows(batch, where: probeMatched, equalTo: true)
        case .leftAnti: emitProbeRows(batch, where: probeMatched, equalTo: false)
        default: if keepsProbe { emitUnmatchedProbeRows(batch, probeMatched) }
        }
    }

    /// The pairs as one batch: the left columns, then the right ones.
    private func pairBatch(_ batch: RecordBatch, _ probeRows: UnsafeBufferPointer<Int32>, _ buildRows: UnsafeBufferPointer<UInt32>,
                           everyRowOnce: Bool) -> RecordBatch {
        // Every probe row matched once, in order (a foreign key meeting its dimension): the
        // probe columns as they are.
        let probeColumns = everyRowOnce || Self.isIdentity(probeRows, count: batch.rowCount) ? Array(batch.columns.prefix(probeWidth))
            : batch.columns.prefix(probeWidth).map { ColumnGather.gather($0, indices: probeRows) }
        let buildColumns = buildColumns(rows: buildRows)
        let columns = join.buildSide == .left ? buildColumns + probeColumns : probeColumns + buildColumns
        return RecordBatch(schema: join.conditionSchema.schema, columns: columns, rowCount: probeRows.count)
    }

    /// Whether `rows` is `0 ..< count`.
    private static func isIdentity(_ rows: UnsafeBufferPointer<Int32>, count: Int) -> Bool {
        guard rows.count == count else { return false }
        var differs = false
        for i in 0..<count { differs = differs || rows[i] != Int32(truncatingIfNeeded: i) }
        return !differs
    }

    private func buildColumns(rows: UnsafeBufferPointer<UInt32>) -> [Column] {
        Array(table.rows.columns(rows: rows).prefix(buildWidth))
    }

    private func emitProbeRows(_ batch: RecordBatch, where matched: [Bool], equalTo wanted: Bool) {
        let rows = matched.indices.filter { matched[$0] == wanted }.map { Int32($0) }
        guard !rows.isEmpty else { return }
        if rows.count == batch.rowCount && batch.columns.count == join.leftWidth {
            pending.append(RecordBatch(schema: join.schema.schema, columns: batch.columns, rowCount: batch.rowCount))
            return
        }
        let columns = rows.withUnsafeBufferPointer { rows in batch.columns.prefix(join.leftWidth).map { ColumnGather.gather($0, indices: rows) } }
        pending.append(RecordBatch(schema: join.schema.schema, columns: columns, rowCount: rows.count))
    }

    /// Probe rows of an outer join that matched nothing, with NULLs for the build side.
    private func emitUnmatchedProbeRows(_ batch: RecordBatch, _ matched: [Bool]) {
        let rows = matched.indices.filter { !matched[$0] }.map { Int32($0) }
        guard !rows.isEmpty else { return }
        let probeIsLeft = join.buildSide == .right
        let probeColumns = rows.withUnsafeBufferPointer { rows in batch.columns.prefix(probeWidth).map { ColumnGather.gather($0, indices: rows) } }
        let nullColumns = nullPadding(forLeft: !probeIsLeft, count: rows.count)
        let columns = probeIsLeft ? probeColumns + nullColumns : nullColumns + probeColumns
        pending.append(RecordBatch(schema: join.schema.schema, columns: columns, rowCount: rows.count))
    }

    /// The build rows that matched some probe row (`matched`) or none, in batches: with NULLs for
    /// the probe side (an outer join's unmatched rows), or alone when the join outputs only its
    /// left side (a semi or anti join that builds from it).
    private func emitBuildRows(matched wanted: Bool) {
        let rows = buildMatched.indices.filter { buildMatched[$0] == wanted }.map { UInt32($0) }
        let buildIsLeft = join.buildSide == .left
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + Self.maxPairsPerBatch)
            var columns = rows.withUnsafeBufferPointer { all in buildColumns(rows: UnsafeBufferPointer(rebasing: all[start..<end])) }
            if join.type.outputsRight {
                let nullColumns = nullPadding(forLeft: !buildIsLeft, count: end - start)
                columns = buildIsLeft ? columns + nullColumns : nullColumns + columns
            }
            pending.append(RecordBatch(schema: join.schema.schema, columns: columns, rowCount: end - start))
            start = end
        }
    }

    /// All-NULL columns for the left or the right side's columns.
    private func nullPadding(forLeft: Bool, count: Int) -> [Column] {
        let columns = join.conditionSchema.columns
        let range = forLeft ? 0..<join.leftWidth : join.leftWidth..<(join.leftWidth + join.rightWidth)
        return columns[range].map { Column.nulls($0.type, count: count) }
    }
}
