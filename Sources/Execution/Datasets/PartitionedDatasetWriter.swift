import Columnar
import Dispatch
import Foundation
import Parquet
import Query
import Synchronization

/// Writes a stream of record batches as a Parquet dataset in the Hive layout, as Spark's
/// `df.write.partitionBy(…).parquet(dir)` does:
/// `target/order_date=1995-03-01/region=EUROPE/part-00000-<job uuid>.c000.zstd.parquet`.
///
/// The partition columns name the directories and are not stored in the files. Rows are
/// buffered up to `bufferBytes`, then grouped by partition and written one file per partition
/// present (split at `maxRowsPerFile`), several files at once, each by one thread; so memory
/// stays bounded however many partitions there are, and a partition gets one more file each
/// time the buffer fills. Without partition columns the batches stream straight into one file
/// at a time (its columns encoded in parallel).
///
/// Everything is written into a hidden staging directory and moved into the target by
/// `finish()` (see `DatasetStaging`): a write that fails, throws mid-stream or is abandoned
/// leaves the target as it was. After a failed `write` the writer is aborted and refuses more.
public final class PartitionedDatasetWriter {
    public let target: String
    /// The schema of the batches to write.
    public let schema: Schema
    /// The schema of the data files: `schema` without the partition columns.
    public let fileSchema: Schema
    /// The partition columns as the schema names them.
    public let partitionColumns: [String]
    public let options: PartitionedWriteOptions

    private let partitionIndices: [Int]
    private let dataIndices: [Int]
    private let jobID: String
    private let staging: DatasetStaging
    private let keys: PartitionKeyIndex?

    private var buffered: [RecordBatch] = []
    private var bufferedDirectories: [Buffer] = []
    private var bufferedBytes = 0
    private var bufferedRows = 0
    private var nextPartNumber = 0
    private var files: [PartitionedWriteReport.File] = []
    private var writtenDirectories: Set<Int32> = []
    /// The file being written when there are no partition columns.
    private var current: (writer: ParquetFileWriter, relativePath: String, rows: Int)?
    private var fileCounter = 0
    private var state = State.open

    private enum State {
        case open, finished, aborted
    }

    /// Rows gathered into one batch for a file writer at a time.
    static let gatherRows = 65_536

    /// Checks the options against `schema` and the target against the mode, and creates the
    /// staging directory; nothing in the target changes before `finish()`.
    public init(target: String, schema: Schema, options: PartitionedWriteOptions) throws {
        var target = target
        while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
        guard !target.isEmpty else { throw ExecutionError.output(path: target, detail: "no output directory given") }
        self.target = target
        self.schema = schema
        self.options = options
        guard options.maxRowsPerFile >= 0 else {
            throw ExecutionError.output(path: target, detail: "maxRecordsPerFile must not be negative (0 for no limit)")
        }
        guard options.bufferBytes > 0, options.threads > 0 else {
            throw ExecutionError.output(path: target, detail: "the buffer size and the threads must be positive")
        }
        let partitionIndices = try Self.resolve(options.partitionColumns, in: schema, target: target)
        self.partitionIndices = partitionIndices
        partitionColumns = partitionIndices.map { schema.fields[$0].name }
        dataIndices = schema.fields.indices.filter { !partitionIndices.contains($0) }
        guard !dataIndices.isEmpty else {
            throw ExecutionError.output(path: target, detail: "cannot use all columns as partition columns: the files would hold no column")
        }
        fileSchema = Schema(dataIndices.map { schema.fields[$0] }, metadata: schema.metadata)
        keys = partitionIndices.isEmpty ? nil
            : try PartitionKeyIndex(columnNames: partitionColumns, types: partitionIndices.map { schema.fields[$0].type })
        jobID = UUID().uuidString.lowercased()
        staging = try DatasetStaging(target: target, mode: options.mode, partitioned: !partitionIndices.isEmpty, jobID: jobID)
    }

    deinit {
        if state == .open { abort() }
    }

    /// The schema's indices of `names`: exact matches first, else the one field that matches
    /// ignoring case (Spark resolves partition columns case-insensitively).
    private static func resolve(_ names: [String], in schema: Schema, target: String) throws -> [Int] {
        var indices: [Int] = []
        for name in names {
            let index = schema.index(of: name) ?? {
                let matches = schema.fields.indices.filter { schema.fields[$0].name.lowercased() == name.lowercased() }
                return matches.count == 1 ? matches[0] : nil
            }()
            guard let index else {
                let candidates = NameSuggestions.closest(to: name, among: schema.fields.map(\.name))
                throw QueryError.unresolved(kind: "partition column", name: name, candidates: candidates)
            }
            guard !indices.contains(index) else {
                throw ExecutionError.output(path: target, detail: "partition column '\(name)' is given twice")
            }
            let field = schema.fields[index]
            guard PartitionValueText.isSupported(field.type) else {
                throw ExecutionError.output(path: target, detail: "cannot partition by column '\(field.name)' of type \(field.type)")
            }
            indices.append(index)
        }
        return indices
    }

    /// Adds the rows of `batch` (columns in the schema's order and types).
    public func write(_ batch: RecordBatch) throws {
        guard state == .open else { throw ExecutionError.output(path: target, detail: "the write was \(state == .finished ? "finished" : "aborted")") }
        do {
            try check(batch)
            guard batch.rowCount > 0 else { return }
            if let keys {
                // Buffered rows are numbered with UInt32s.
                if bufferedRows + batch.rowCount > Int(UInt32.max) { try flush() }
                let directories = try keys.directoryNumbers(partitionIndices.map { batch.columns[$0] }, count: batch.rowCount)
                // Decoded now, so that the buffer's size counts what the gather reads.
                let data = RecordBatch(schema: fileSchema, columns: dataIndices.map { batch.columns[$0].materialized() },
                                       rowCount: batch.rowCount)
                buffered.append(data)
                bufferedDirectories.append(directories)
                bufferedBytes += data.byteSize + directories.byteCount
                bufferedRows += batch.rowCount
                if bufferedBytes >= options.bufferBytes { try flush() }
            } else {
                try writeUnpartitioned(batch)
            }
        } catch {
            abort()
            throw error
        }
    }

    private func check(_ batch: RecordBatch) throws {
        guard batch.columns.count == schema.fields.count else {
            throw ExecutionError.output(path: target, detail: "a batch of \(batch.columns.count) columns in a dataset of \(schema.fields.count)")
        }
        for (field, column) in zip(schema.fields, batch.columns) where column.type != field.type {
            throw ExecutionError.output(path: target, detail: "column '\(field.name)' has type \(column.type) in a batch, \(field.type) in the dataset")
        }
    }

    /// Writes the remaining rows, moves the files into the target and writes `_SUCCESS`.
    public func finish() throws -> PartitionedWriteReport {
        guard state == .open else { throw ExecutionError.output(path: target, detail: "the write was \(state == .finished ? "finished" : "aborted")") }
        do {
            if keys != nil {
                try flush()
            } else {
                // Spark writes a file even for no rows, so that the schema can be read back.
                if current == nil && files.isEmpty { try startFile() }
                try closeFile()
            }
            let directories = keys.map { keys in writtenDirectories.sorted().map { keys.directories[Int($0)] } } ?? []
            try staging.commit(files: files.map(\.relativePath), partitionDirectories: directories)
            state = .finished
        } catch {
            abort()
            throw error
        }
        return PartitionedWriteReport(target: target, files: files, partitions: writtenDirectories.count,
                                      codec: options.properties.compression)
    }

    /// Abandons the write: removes the staging directory; the target is left as it was.
    public func abort() {
        guard state == .open else { return }
        state = .aborted
        current?.writer.abort()
        current = nil
        buffered = []
        bufferedDirectories = []
        staging.discard()
    }

    // MARK: Without partition columns

    private func writeUnpartitioned(_ batch: RecordBatch) throws {
        let data = RecordBatch(schema: fileSchema, columns: batch.columns, rowCount: batch.rowCount)
        var start = 0
        while start < data.rowCount {
            if current == nil { try startFile() }
            let room = options.maxRowsPerFile > 0 ? options.maxRowsPerFile - current!.rows : data.rowCount - start
            let take = min(room, data.rowCount - start)
            try current!.writer.write(take == data.rowCount ? data : data.slice(start..<(start + take)))
            current!.rows += take
            start += take
            if options.maxRowsPerFile > 0 && current!.rows >= options.maxRowsPerFile { try closeFile() }
        }
    }

    private func startFile() throws {
        // One task's files: one part number, the file counter counts on (as Spark's c000, c001…).
        let name = DataFileName.make(part: 0, jobID: jobID, fileCounter: fileCounter, codec: options.properties.compression)
        fileCounter += 1
        let writer = try ParquetFileWriter(path: staging.directory + "/" + name, schema: fileSchema,
                                           properties: options.properties, threads: options.threads)
        current = (writer, name, 0)
    }

    private func closeFile() throws {
        guard let file = current else { return }
        current = nil
        try file.writer.close()
        files.append(.init(relativePath: file.relativePath, rows: file.rows,
                           bytes: DatasetFileSystem.size(staging.directory + "/" + file.relativePath) ?? 0))
    }

    // MARK: With partition columns

    /// One data file to write: rows `rows` of the flush's row order, all of partition `directory`.
    private struct FileTask {
        let directory: Int32
        let rows: Range<Int>
        let part: Int
        let fileCounter: Int
    }

    /// Groups the buffered rows by partition directory and writes one file per directory (more
    /// when `maxRowsPerFile` splits it), on `threads` threads.
    private func flush() throws {
        guard let keys, !buffered.isEmpty else { return }
        let directoryCount = keys.directories.count
        let totalRows = bufferedRows

        // Counting sort of the row numbers (over the buffered batches in sequence) by directory.
        var counts = [Int](repeating: 0, count: directoryCount + 1)
        for directories in bufferedDirectories {
            directories.withUnsafeBufferPointer(as: Int32.self) { ids in
                for id in ids { counts[Int(id) + 1] += 1 }
            }
        }
        for d in 0..<directoryCount { counts[d + 1] += counts[d] }
        let starts = counts
        var order = [UInt32](repeating: 0, count: totalRows)
        order.withUnsafeMutableBufferPointer { order in
            var next = starts
            var row: UInt32 = 0
            for directories in bufferedDirectories {
                directories.withUnsafeBufferPointer(as: Int32.self) { ids in
                    for id in ids {
                        order[next[Int(id)]] = row
                        next[Int(id)] += 1
                        row += 1
                    }
                }
            }
        }

        // One task per file, the largest first so that the threads finish together.
        var tasks: [FileTask] = []
        var present: [(directory: Int32, rows: Range<Int>)] = []
        for d in 0..<directoryCount where starts[d + 1] > starts[d] {
            present.append((Int32(d), starts[d]..<starts[d + 1]))
        }
        present.sort { $0.rows.count > $1.rows.count }
        for (directory, rows) in present {
            try staging.makeDirectory(keys.directories[Int(directory)])
            writtenDirectories.insert(directory)
            let limit = options.maxRowsPerFile > 0 ? options.maxRowsPerFile : rows.count
            var start = rows.lowerBound
            var counter = 0
            while start < rows.upperBound {
                let end = min(rows.upperBound, start + limit)
                tasks.append(FileTask(directory: directory, rows: start..<end, part: nextPartNumber, fileCounter: counter))
                counter += 1
                start = end
            }
            nextPartNumber += 1
        }

        let source = BatchGather.Prepared(buffered, schema: fileSchema)
        buffered = []
        bufferedDirectories = []
        bufferedBytes = 0
        bufferedRows = 0
        files += try writeFiles(tasks, order: order, source: source, directories: keys.directories)
    }

    /// Writes `tasks` on up to `threads` threads; the first error stops the others and is thrown.
    private func writeFiles(_ tasks: [FileTask], order: [UInt32], source: BatchGather.Prepared,
                            directories: [String]) throws -> [PartitionedWriteReport.File] {
        let next = Mutex(0)
        let failure = Mutex<(any Error)?>(nil)
        let written = Mutex<[PartitionedWriteReport.File]>([])
        let workers = min(options.threads, tasks.count)
        let (stagingDirectory, properties, schema, codec, jobID) =
            (staging.directory, options.properties, fileSchema, options.properties.compression, jobID)
        let (progress, writtenBefore) = (options.progress, files.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                if failure.withLock({ $0 != nil }) { return }
                let index = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                guard index < tasks.count else { return }
                let task = tasks[index]
                do {
                    let relative = directories[Int(task.directory)] + "/"
                        + DataFileName.make(part: task.part, jobID: jobID, fileCounter: task.fileCounter, codec: codec)
                    let path = stagingDirectory + "/" + relative
                    let writer = try ParquetFileWriter(path: path, schema: schema, properties: properties, threads: 1)
                    do {
                        var start = task.rows.lowerBound
                        while start < task.rows.upperBound {
                            let end = min(task.rows.upperBound, start + Self.gatherRows)
                            for batch in source.gather(rows: order[start..<end], maxRows: Self.gatherRows) {
                                try writer.write(batch)
                            }
                            start = end
                        }
                        try writer.close()
                    } catch {
                        writer.abort()
                        throw error
                    }
                    let file = PartitionedWriteReport.File(relativePath: relative, rows: task.rows.count,
                                                           bytes: DatasetFileSystem.size(path) ?? 0)
                    written.withLock { written in
                        written.append(file)
                        progress?(writtenBefore + written.count, writtenBefore + tasks.count)
                    }
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    return
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return written.withLock { $0 }
    }
}
