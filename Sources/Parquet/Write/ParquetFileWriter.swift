#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar
import Dispatch

/// Writes record batches to a Parquet file.
///
/// The file is written under a temporary name in the target's directory and renamed into place
/// by `close()`, so readers never see a half-written file and a failed or abandoned write leaves
/// nothing behind (`abort()`, or the writer being dropped before `close()`). Batches are cut into
/// row groups of `rowGroupRows` rows (or fewer, when the encoded row group reaches
/// `rowGroupBytes`); the columns of each batch are encoded in parallel.
public final class ParquetFileWriter: @unchecked Sendable {
    public let path: String
    public let schema: Schema
    public let properties: WriterProperties
    private let temporaryPath: String
    private let writeSchema: WriteSchema
    private var descriptor: Int32
    private var position: Int64 = 0
    private let columnWriters: [ColumnChunkWriter]
    private var rowGroups: [RowGroup] = []
    private var rowsInGroup = 0
    private var totalRows: Int64 = 0
    private var finished = false
    private let threads: Int

    public init(path: String, schema: Schema, properties: WriterProperties = WriterProperties(),
                threads: Int = ProcessInfoCores.count) throws {
        self.path = path
        self.schema = schema
        self.properties = properties
        self.threads = threads
        guard properties.rowGroupRows > 0, properties.dataPageSize > 0, properties.dataPageRowLimit > 0 else {
            throw ParquetError.invalidArgument("row group rows, page size and page row limit must be positive")
        }
        writeSchema = try WriteSchema(schema)
        columnWriters = try zip(writeSchema.parquet.columns, writeSchema.leafTypes).map {
            try ColumnChunkWriter(descriptor: $0, leafType: $1, properties: properties)
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = "\(directory).\(name).sparrow-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ParquetError.io(path: path, detail: "cannot create \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        do {
            try writeBytes(Array("PAR1".utf8))
        } catch {
            abort()
            throw error
        }
    }

    deinit {
        if !finished { abort() }
    }

    /// Adds the rows of `batch`, whose schema must have the writer's field names and types.
    public func write(_ batch: RecordBatch) throws {
        precondition(!finished, "write after close")
        guard batch.columns.count == schema.fields.count else {
            throw ParquetError.invalidArgument("batch has \(batch.columns.count) columns, the file \(schema.fields.count)")
        }
        for (field, column) in zip(schema.fields, batch.columns) {
            guard column.type == field.type else {
                throw ParquetError.invalidArgument("column '\(field.name)' has type \(column.type), the file expects \(field.type)")
            }
            if !field.isNullable && column.nullCount > 0 {
                throw ParquetError.invalidArgument("column '\(field.name)' is not nullable but holds \(column.nullCount) nulls")
            }
        }
        var start = 0
        while start < batch.rowCount {
            let take = min(batch.rowCount - start, properties.rowGroupRows - rowsInGroup)
            let part = start == 0 && take == batch.rowCount ? batch : batch.slice(start..<(start + take))
            try encode(part)
            rowsInGroup += take
            start += take
            if rowsInGroup >= properties.rowGroupRows || bufferedBytes >= properties.rowGroupBytes {
                try flushRowGroup()
            }
        }
    }

    private var bufferedBytes: Int { columnWriters.reduce(0) { $0 + $1.bufferedBytes } }

    /// Shreds and encodes one batch, a field per task.
    private func encode(_ batch: RecordBatch) throws {
        let parquet = writeSchema.parquet
        try parallelForEach(schema.fields.count) { index in
            let leaves = try LevelShredder.shred(batch.columns[index], assembly: parquet.assemblies[index],
                                                 descriptors: parquet.columns)
            for leaf in parquet.leafIndices(ofField: index) {
                do {
                    try self.columnWriters[leaf].write(leaves[leaf]!)
                } catch let error as ParquetError {
                    throw error.at(ParquetErrorLocation(file: self.path, column: parquet.columns[leaf].dottedPath))
                }
            }
        }
    }

    /// Runs `body` for `0..<count` on up to `threads` threads; rethrows the first error.
    private func parallelForEach(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        if threads <= 1 || count <= 1 {
            for i in 0..<count { try body(i) }
            return
        }
        var errors = [Error?](repeating: nil, count: count)
        errors.withUnsafeMutableBufferPointer { slots in
            let slots = UnsafeSendable(slots)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                do { try body(i) } catch { slots.value[i] = error }
            }
        }
        if let error = errors.compactMap({ $0 }).first { throw error }
    }

    private func flushRowGroup() throws {
        guard rowsInGroup > 0 else { return }
        var finished = [(bytes: Buffer, metadata: (Int64) -> ColumnMetaData)?](repeating: nil, count: columnWriters.count)
        try finished.withUnsafeMutableBufferPointer { slots in
            let slots = UnsafeSendable(slots)
            try parallelForEach(columnWriters.count) { i in
                slots.value[i] = try self.columnWriters[i].finishChunk()
            }
        }
        let groupStart = position
        var chunks: [ColumnChunk] = []
        var uncompressed: Int64 = 0
        for chunk in finished {
            let (bytes, makeMetadata) = chunk!
            let offset = position
            try bytes.withUnsafeBytes { try writeBytes($0) }
            let metadata = makeMetadata(offset)
            uncompressed += metadata.totalUncompressedSize
            chunks.append(ColumnChunk(fileOffset: offset, metaData: metadata))
        }
        rowGroups.append(RowGroup(columns: chunks, totalByteSize: uncompressed, numRows: Int64(rowsInGroup),
                                  fileOffset: groupStart, totalCompressedSize: position - groupStart,
                                  ordinal: Int16(truncatingIfNeeded: rowGroups.count)))
        totalRows += Int64(rowsInGroup)
        rowsInGroup = 0
    }

    /// Writes the last row group and the footer, and moves the file into place.
    public func close() throws {
        precondition(!finished, "close called twice")
        do {
            try flushRowGroup()
            let keyValues = properties.keyValueMetadata.map { KeyValue(key: $0.key, value: $0.value) }
            let metadata = FileMetaData(
                version: 2, schema: writeSchema.elements, numRows: totalRows, rowGroups: rowGroups,
                keyValueMetadata: keyValues.isEmpty ? nil : keyValues, createdBy: properties.createdBy,
                columnOrders: Array(repeating: .typeOrder, count: columnWriters.count))
            let footer = metadata.encode()
            try writeBytes(footer)
            try writeBytes(withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) })
            try writeBytes(Array("PAR1".utf8))
            guard Glibc.close(descriptor) == 0 else {
                throw ParquetError.io(path: path, detail: "close failed: \(String(cString: strerror(errno)))")
            }
            descriptor = -1
            guard rename(temporaryPath, path) == 0 else {
                throw ParquetError.io(path: path, detail: "cannot move the finished file into place: \(String(cString: strerror(errno)))")
            }
            finished = true
        } catch {
            abort()
            throw error
        }
    }

    /// Abandons the write and removes the temporary file.
    public func abort() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
        finished = true
    }

    private func writeBytes(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeBytes($0) }
    }

    private func writeBytes(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError.io(path: path, detail: "write failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
        position += Int64(bytes.count)
    }
}
