import Columnar
import Query

/// One task of a hash join: streams probe batches through the build table and outputs the
/// matched pairs, then (for the preserved side of an outer join) the unmatched rows padded with
/// NULLs, or (semi and anti joins) the probe rows that did or did not match.
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
    /// Build rows that matched some probe row (for keeping the unmatched ones).
    var buildMatched: [Bool]
    var pending: [RecordBatch] = []
    var probeDone = false

    init(join: HashJoinExec, table: JoinHashTable, probe: any BatchStream, context: TaskContext) {
        self.join = join
        self.table = table
        self.probe = probe
        self.context = context
        let buildIsLeft = join.buildSide == .left
        probeKeys = buildIsLeft ? join.compiledRightKeys : join.compiledLeftKeys
        keepsProbe = buildIsLeft ? join.type.preservesRight : join.type.preservesLeft
        keepsBuild = buildIsLeft ? join.type.preservesLeft : join.type.preservesRight
        buildMatched = keepsBuild ? [Bool](repeating: false, count: table.rowCount) : []
    }

    func next() throws -> RecordBatch? {
        while pending.isEmpty {
            if probeDone { return nil }
            try context.checkCancelled()
            if let batch = try probe.next() {
                try joinProbeBatch(batch)
            } else {
                probeDone = true
                if keepsBuild { emitUnmatchedBuildRows() }
            }
        }
        return pending.removeFirst()
    }

    private func joinProbeBatch(_ batch: RecordBatch) throws {
        let rowCount = batch.rowCount
        guard rowCount > 0 else { return }
        let keys = try probeKeys.map { try $0.evaluate(batch) }
        let hashes = HashPartitioner.rowHashes(keys, rowCount: rowCount)
        let present = JoinHashTable.nonNullRows(keys, rowCount: rowCount)
        let type = join.type
        var probeMatched = [Bool](repeating: false, count: (type == .inner || type == .cross) && !keepsProbe ? 0 : rowCount)
        var cursor = JoinHashTable.Cursor()
        var done = false
        while !done {
            var probeRows: [Int32] = []
            var buildRows: [UInt32] = []
            done = table.candidates(hashes: hashes, present: present, cursor: &cursor, limit: Self.maxPairsPerBatch,
                                    probeRows: &probeRows, buildRows: &buildRows)
            guard !probeRows.isEmpty else { continue }
            var pairs = pairBatch(batch, probeRows, buildRows)
            var selected: Buffer?
            if let condition = join.compiledCondition {
                let mask = BitWords.trueMask(try condition.evaluate(pairs))
                let setCount = BitWords.popCount(mask, count: pairs.rowCount)
                if setCount < pairs.rowCount {
                    selected = mask
                    pairs = BatchFilter.select(pairs, mask: mask, setCount: setCount)
                }
            }
            // Record which rows matched (pairs that passed the condition).
            if !probeMatched.isEmpty || keepsBuild {
                let base = selected?.baseAddress
                for i in probeRows.indices where base == nil || Bitmap.isSet(base!, i) {
                    if !probeMatched.isEmpty { probeMatched[Int(probeRows[i])] = true }
                    if keepsBuild { buildMatched[Int(buildRows[i])] = true }
                }
            }
            if type.outputsRight && pairs.rowCount > 0 {
                pending.append(RecordBatch(schema: join.schema.schema, columns: pairs.columns, rowCount: pairs.rowCount))
            }
        }
        switch type {
        case .leftSemi: emitProbeRows(batch, where: probeMatched, equalTo: true)
        case .leftAnti: emitProbeRows(batch, where: probeMatched, equalTo: false)
        default: if keepsProbe { emitUnmatchedProbeRows(batch, probeMatched) }
        }
    }

    /// The candidate pairs as one batch: the left columns, then the right ones.
    private func pairBatch(_ batch: RecordBatch, _ probeRows: [Int32], _ buildRows: [UInt32]) -> RecordBatch {
        let count = probeRows.count
        let indices = Buffer(copying: probeRows)
        let probeWidth = join.buildSide == .left ? join.rightWidth : join.leftWidth
        let probeColumns = batch.columns.prefix(probeWidth).map { $0.gatherKeepingDictionary(indices, count: count) }
        let buildColumns = buildColumns(rows: buildRows[...])
        let columns = join.buildSide == .left ? buildColumns + probeColumns : probeColumns + buildColumns
        return RecordBatch(schema: join.conditionSchema.schema, columns: columns, rowCount: count)
    }

    private func buildColumns(rows: ArraySlice<UInt32>) -> [Column] {
        let buildWidth = join.buildSide == .left ? join.leftWidth : join.rightWidth
        let count = rows.count
        if let gathered = table.rows.gather(rows: rows, maxRows: max(1, count)).first {
            return Array(gathered.columns.prefix(buildWidth))
        }
        return table.rows.schema.fields.prefix(buildWidth).map { Column.nulls($0.type, count: 0) }
    }

    private func emitProbeRows(_ batch: RecordBatch, where matched: [Bool], equalTo wanted: Bool) {
        let rows = matched.indices.filter { matched[$0] == wanted }.map { Int32($0) }
        guard !rows.isEmpty else { return }
        let indices = Buffer(copying: rows)
        let columns = batch.columns.prefix(join.leftWidth).map { $0.gatherKeepingDictionary(indices, count: rows.count) }
        pending.append(RecordBatch(schema: join.schema.schema, columns: columns, rowCount: rows.count))
    }

    /// Probe rows of an outer join that matched nothing, with NULLs for the build side.
    private func emitUnmatchedProbeRows(_ batch: RecordBatch, _ matched: [Bool]) {
        let rows = matched.indices.filter { !matched[$0] }.map { Int32($0) }
        guard !rows.isEmpty else { return }
        let indices = Buffer(copying: rows)
        let probeIsLeft = join.buildSide == .right
        let probeWidth = probeIsLeft ? join.leftWidth : join.rightWidth
        let probeColumns = batch.columns.prefix(probeWidth).map { $0.gatherKeepingDictionary(indices, count: rows.count) }
        let nullColumns = nullPadding(forLeft: !probeIsLeft, count: rows.count)
        let columns = probeIsLeft ? probeColumns + nullColumns : nullColumns + probeColumns
        pending.append(RecordBatch(schema: join.schema.schema, columns: columns, rowCount: rows.count))
    }

    /// Build rows no probe row matched, with NULLs for the probe side, in batches.
    private func emitUnmatchedBuildRows() {
        let rows = buildMatched.indices.filter { !buildMatched[$0] }.map { UInt32($0) }
        let buildIsLeft = join.buildSide == .left
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + Self.maxPairsPerBatch)]
            start = chunk.endIndex
            let buildColumns = buildColumns(rows: chunk)
            let nullColumns = nullPadding(forLeft: !buildIsLeft, count: chunk.count)
            let columns = buildIsLeft ? buildColumns + nullColumns : nullColumns + buildColumns
            pending.append(RecordBatch(schema: join.schema.schema, columns: columns, rowCount: chunk.count))
        }
    }

    /// All-NULL columns for the left or the right side's columns.
    private func nullPadding(forLeft: Bool, count: Int) -> [Column] {
        let columns = join.conditionSchema.columns
        let range = forLeft ? 0..<join.leftWidth : join.leftWidth..<(join.leftWidth + join.rightWidth)
        return columns[range].map { Column.nulls($0.type, count: count) }
    }
}
