import Columnar
import Dispatch

/// Yields the record batches of a projection of a Parquet file, row group by row group.
///
/// Within a batch, the projected fields are decoded in parallel on up to `ReadOptions.threads`
/// threads; each field's column chunk reader is used by one thread at a time.
public final class BatchReader: @unchecked Sendable {
    public let schema: Schema
    private let reader: ParquetFileReader
    private let fields: [Int]
    private var pendingRowGroups: ArraySlice<Int>
    private var currentRowGroup: Int?
    private var chunks: [Int: ColumnChunkReader] = [:]
    private var rowsLeftInGroup = 0

    init(reader: ParquetFileReader, fields: [Int], rowGroups: [Int]) {
        self.reader = reader
        self.fields = fields
        self.pendingRowGroups = rowGroups[...]
        let all = reader.schema.schema
        self.schema = Schema(fields.map { all.fields[$0] }, metadata: all.metadata)
    }

    /// The next batch, or nil after the last row group.
    public func next() throws -> RecordBatch? {
        while rowsLeftInGroup == 0 {
            guard let group = pendingRowGroups.popFirst() else { return nil }
            currentRowGroup = group
            rowsLeftInGroup = Int(reader.metadata.rowGroups[group].numRows)
            let leaves = fields.flatMap { reader.schema.leafIndices(ofField: $0) }
            chunks = rowsLeftInGroup == 0 ? [:] : try reader.readChunks(rowGroup: group, leaves: leaves)
        }
        let rows = min(reader.options.batchSize, rowsLeftInGroup)
        rowsLeftInGroup -= rows
        let columns = try decodeFields(rows: rows)
        return RecordBatch(schema: schema, columns: columns, rowCount: rows)
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
