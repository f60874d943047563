import Columnar
import Dispatch

/// Yields the record batches of a projection of a Parquet file, row group by row group.
///
/// Within a batch, the projected fields are decoded in parallel on up to `ReadOptions.threads`
/// threads; each field's column chunk reader is used by one thread at a time.
///
/// Besides `next()`, a batch can be read field by field: `advance()` moves to the next batch and
/// `column(_:)` / `column(_:selection:)` decode one field of it, the latter for selected rows only
/// (late materialization: decode a filter's columns, evaluate it, then decode the rest for the rows
/// that pass). A field not read in a batch is skipped when it is next read; a row group's fields
/// that are never read again are not decoded at all.
public final class BatchReader: @unchecked Sendable {
    public let schema: Schema
    private let reader: ParquetFileReader
    private let fields: [Int]
    private var pendingRowGroups: ArraySlice<Int>
    private var currentRowGroup: Int?
    private var chunks: [Int: ColumnChunkReader] = [:]
    private var rowsLeftInGroup = 0
    /// Rows of the current batch.
    private var batchRows = 0
    /// Per field position: read in the current batch, and rows of the current row group passed
    /// over by earlier batches that did not read it.
    private var readInBatch: [Bool]
    private var rowsToSkip: [Int]
    /// The rows of the (one) row group to read, when not all.
    private let rowRange: Range<Int>?

    init(reader: ParquetFileReader, fields: [Int], rowGroups: [Int], rows: Range<Int>? = nil) {
        precondition(rows == nil || rowGroups.count == 1, "a row range is of one row group")
        self.reader = reader
        self.fields = fields
        self.pendingRowGroups = rowGroups[...]
        rowRange = rows
        let all = reader.schema.schema
        self.schema = Schema(fields.map { all.fields[$0] }, metadata: all.metadata)
        readInBatch = [Bool](repeating: true, count: fields.count)
        rowsToSkip = [Int](repeating: 0, count: fields.count)
    }

    /// The next batch, or nil after the last row group.
    public func next() throws -> RecordBatch? {
        guard let rows = try advance() else { return nil }
        for position in fields.indices { try prepareRead(position) }
        let columns = try decodeFields(rows: rows)
        return RecordBatch(schema: schema, columns: columns, rowCount: rows)
    }

    /// Moves to the next batch and returns its row count, or nil after the last row group.
    public func advance() throws -> Int? {
        for i in readInBatch.indices where !readInBatch[i] { rowsToSkip[i] += batchRows }
        while rowsLeftInGroup == 0 {
            batchRows = 0
            guard let group = pendingRowGroups.popFirst() else { return nil }
            currentRowGroup = group
            rowsLeftInGroup = Int(reader.metadata.rowGroups[group].numRows)
            let leaves = fields.flatMap { reader.schema.leafIndices(ofField: $0) }
            chunks = rowsLeftInGroup == 0 ? [:] : try reader.readChunks(rowGroup: group, leaves: leaves)
            for i in rowsToSkip.indices { rowsToSkip[i] = 0 }
            if let rowRange {
                // The rows before the range are skipped as a field's unread rows are.
                let start = min(rowRange.lowerBound, rowsLeftInGroup)
                for i in rowsToSkip.indices { rowsToSkip[i] = start }
                rowsLeftInGroup = max(0, min(rowsLeftInGroup, rowRange.upperBound) - start)
            }
        }
        let rows = min(reader.options.batchSize, rowsLeftInGroup)
        rowsLeftInGroup -= rows
        batchRows = rows
        for i in readInBatch.indices { readInBatch[i] = false }
        return rows
    }

    /// All rows of the current batch of the field at `position` (an index into `schema`).
    public func column(_ position: Int) throws -> Column {
        try prepareRead(position)
        return try decodeField(position, rows: batchRows)
    }

    /// The rows `selection` keeps of the current batch of the field at `position`; values of the
    /// other rows of flat columns are skipped, not decoded.
    public func column(_ position: Int, selection: RowSelection) throws -> Column {
        precondition(selection.count == batchRows, "a selection of \(selection.count) rows for a batch of \(batchRows)")
        try prepareRead(position)
        if selection.setCount == batchRows { return try decodeField(position, rows: batchRows) }
        let field = fields[position]
        if case .leaf(let leaf, _) = reader.schema.assemblies[field] {
            return try located { try chunks[leaf]!.readFlat(rows: batchRows, selection: selection) }
        }
        // Nested fields are assembled whole, then gathered.
        return try decodeField(position, rows: batchRows).gather(indices: selection.positions, count: selection.setCount)
    }

    /// Checks that `position` is unread in this batch, marks it read, and first skips the rows
    /// earlier batches passed over.
    private func prepareRead(_ position: Int) throws {
        precondition(batchRows > 0, "no current batch: call advance() first")
        precondition(!readInBatch[position], "field \(position) was already read in this batch")
        readInBatch[position] = true
        let skip = rowsToSkip[position]
        guard skip > 0 else { return }
        rowsToSkip[position] = 0
        let field = fields[position]
        let assembly = reader.schema.assemblies[field]
        try located {
            if case .leaf(let leaf, _) = assembly {
                try chunks[leaf]!.skipFlat(rows: skip)
            } else {
                for leaf in assembly.leafColumns { _ = try chunks[leaf]!.readRecords(skip) }
            }
        }
    }

    private func located<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as ParquetError {
            throw error.at(ParquetErrorLocation(file: reader.path, rowGroup: currentRowGroup))
        }
    }

    private func decodeFields(rows: Int) throws -> [Column] {
        let count = fields.count
        var results = [Result<Column, Error>?](repeating: nil, count: count)
        let threads = min(reader.options.threads, count)
        if threads <= 1 {
            for i in 0..<count { results[i] = Result { try decodeField(i, rows: rows) } }
        } else {
            results.withUnsafeMutableBufferPointer { slots in
                let slots = UnsafeSendable(slots)
                DispatchQueue.concurrentPerform(iterations: count) { i in
                    slots.value[i] = Result { try self.decodeField(i, rows: rows) }
                }
            }
        }
        return try results.map { try $0!.get() }
    }

    private func decodeField(_ position: Int, rows: Int) throws -> Column {
        let field = fields[position]
        let type = schema.fields[position].type
        let location = ParquetErrorLocation(file: reader.path, rowGroup: currentRowGroup)
        do {
            let assembly = reader.schema.assemblies[field]
            if case .leaf(let leaf, _) = assembly {
                return try chunks[leaf]!.readFlat(rows: rows)
            }
            var levels: [Int: LeafLevels] = [:]
            for leaf in assembly.leafColumns {
                levels[leaf] = try chunks[leaf]!.readRecords(rows)
            }
            return try NestedAssembler(leaves: levels).assemble(assembly, type: type, rowCount: rows)
        } catch let error as ParquetError {
            throw error.at(location)
        }
    }
}

/// Wraps a value that is shared across threads in a way the compiler cannot check; used for
/// result slots that each worker writes at its own index.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
