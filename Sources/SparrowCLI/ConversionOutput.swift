import Columnar
import Execution
import Parquet

/// Where `sparrow convert` writes: one Parquet file, or a dataset directory (Hive-partitioned
/// with `--partition-by`, split with `--max-rows-per-file`).
///
/// Either way nothing appears at the output path until `finish()`, and `abort()` (or a failed
/// write) leaves the path as it was.
final class ConversionOutput {
    private enum Sink {
        case file(ParquetFileWriter)
        case dataset(PartitionedDatasetWriter)
    }

    private let sink: Sink
    private let path: String
    private let codec: String

    init(command: ConvertCommand, schema: Schema, properties: WriterProperties) throws {
        path = command.output
        codec = command.compression.rawValue
        if command.writesDataset {
            var options = PartitionedWriteOptions()
            options.partitionColumns = command.partitionColumns
            options.mode = command.datasetMode
            options.maxRowsPerFile = command.maxRowsPerFile ?? 0
            options.properties = properties
            options.threads = command.threads
            let progress = FileProgress(quiet: command.quiet)
            options.progress = { written, planned in progress.update(written, of: planned) }
            sink = .dataset(try PartitionedDatasetWriter(target: command.output, schema: schema, options: options))
        } else {
            sink = .file(try ParquetFileWriter(path: command.output, schema: schema, properties: properties, threads: command.threads))
        }
    }

    func write(_ batch: RecordBatch) throws {
        switch sink {
        case .file(let writer): try writer.write(batch)
        case .dataset(let writer): try writer.write(batch)
        }
    }

    /// Completes the output; returns the summary's middle part, e.g. `in 3 partitions, 3 files
    /// to out/ (1.2MB, zstd)`.
    func finish() throws -> String {
        switch sink {
        case .file(let writer):
            try writer.close()
            let size = (try? RandomAccessFile(path: path).size) ?? 0
            return "to \(path) (\(ProgressBar.compact(size))B, \(codec))"
        case .dataset(let writer):
            let report = try writer.finish()
            var text = "in "
            if !writer.partitionColumns.isEmpty {
                text += "\(report.partitions) partition\(report.partitions == 1 ? "" : "s"), "
            }
            text += "\(report.files.count) file\(report.files.count == 1 ? "" : "s") to \(path)\(path.hasSuffix("/") ? "" : "/")"
            return text + " (\(ProgressBar.compact(report.bytes))B, \(codec))"
        }
    }

    func abort() {
        switch sink {
        case .file(let writer): writer.abort()
        case .dataset(let writer): writer.abort()
        }
    }
}

/// The progress bar of the files a partitioned write produces at each flush of its buffer.
final class FileProgress: @unchecked Sendable {
    private let quiet: Bool
    private var bar: ProgressBar?
    private var planned = 0

    init(quiet: Bool) { self.quiet = quiet }

    /// Called one call at a time (the writer serialises its calls).
    func update(_ written: Int, of planned: Int) {
        if planned != self.planned {
            bar = ProgressBar(total: planned, unit: "files", quiet: quiet)
            self.planned = planned
        }
        bar?.update(written)
    }
}
