#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Columnar
import CSV
import Execution
import Parquet

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert CSV to Parquet, or rewrite a Parquet file with another codec or layout.",
        discussion: """
        INPUT is a CSV file (also .gz or .zst compressed, or - for standard input) or a Parquet file.
        CSV types are inferred over the whole input (a value that does not fit the sampled type widens
        the column and the conversion starts again), or given with --schema. The output is written
        under a temporary name and renamed when complete: a failed conversion leaves nothing behind.

        With --partition-by (or --max-rows-per-file, or --mode append|overwrite-partitions) OUTPUT is
        a directory in the Hive layout Spark writes and reads: one subdirectory per value of each
        partition column (order_date=1995-03-01/region=EUROPE/part-00000-<uuid>.c000.zstd.parquet),
        the partition columns kept out of the files, NULL and empty values under
        __HIVE_DEFAULT_PARTITION__. The files are staged in a hidden directory and moved into place
        at the end, so a failed conversion leaves OUTPUT as it was. --mode says what to do when it
        exists: error (the default), overwrite (replace it), append (add files), overwrite-partitions
        (replace only the partitions written; Spark's dynamic partition overwrite).

        Examples:
          sparrow convert lineitem.csv lineitem.parquet
          sparrow convert sales.csv.gz sales.parquet --schema "price:double,day:date" --on-error skip --rejects bad.csv
          cat data.tsv | sparrow convert - data.parquet --delimiter tab
          sparrow convert in.parquet out.parquet --compression zstd --level 3 --row-group-rows 100000
          sparrow convert sales.csv sales/ --partition-by order_date,region
          sparrow convert more.csv sales/ --partition-by order_date,region --mode append
        """
    )

    @Argument(help: "The CSV or Parquet input (- for standard input).")
    var input: String

    @Argument(help: "The Parquet file to write, or the directory with --partition-by.")
    var output: String

    @Option(help: "Codec: zstd, snappy, gzip, lz4 (LZ4_RAW), brotli or none.")
    var compression: CompressionChoice = .zstd

    @Option(help: "Codec level (zstd 1-22, gzip 0-9, brotli 0-11).")
    var level: Int?

    @Option(help: "Rows per row group.")
    var rowGroupRows: Int = WriterProperties().rowGroupRows

    @Option(help: "Target data page size in bytes before compression.")
    var pageSize: Int = WriterProperties().dataPageSize

    @Flag(help: "Write data pages in the v2 format.")
    var dataPageV2 = false

    @Flag(help: "Do not dictionary-encode columns.")
    var noDictionary = false

    @Flag(help: "Store a CRC-32 checksum in every page header.")
    var pageChecksums = false

    @OptionGroup(title: "CSV input")
    var csv: CSVOptions

    @Option(help: ArgumentHelp("Write a directory partitioned by these columns (comma-separated).", valueName: "col,..."))
    var partitionBy: String?

    @Option(help: "At most this many rows per file (Spark's maxRecordsPerFile); writes a directory.")
    var maxRowsPerFile: Int?

    @Option(help: "When OUTPUT exists: error, overwrite, append or overwrite-partitions (the last two write a directory).")
    var mode: ConvertMode?

    @Flag(help: "Replace the output if it exists (same as --mode overwrite).")
    var overwrite = false

    @Flag(help: "No progress bar or summary.")
    var quiet = false

    @Option(help: "Worker threads (default: one per core).")
    var threads: Int = ProcessInfoCores.count

    func validate() throws {
        if rowGroupRows < 1 { throw ValidationError("--row-group-rows must be at least 1") }
        if pageSize < 1 { throw ValidationError("--page-size must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let maxRowsPerFile, maxRowsPerFile < 1 { throw ValidationError("--max-rows-per-file must be at least 1") }
        if let partitionBy, partitionColumns.isEmpty || partitionColumns.contains(where: \.isEmpty) {
            throw ValidationError("--partition-by '\(partitionBy)': expected column names separated by commas")
        }
        if overwrite, let mode, mode != .overwrite {
            throw ValidationError("--overwrite contradicts --mode \(mode.rawValue)")
        }
    }

    /// The `--partition-by` columns, trimmed.
    var partitionColumns: [String] {
        guard let partitionBy else { return [] }
        return partitionBy.split(separator: ",", omittingEmptySubsequences: false).map { name in
            String(name.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }
    }

    /// True when OUTPUT is a dataset directory rather than one file.
    var writesDataset: Bool {
        partitionBy != nil || maxRowsPerFile != nil || mode == .append || mode == .overwritePartitions
    }

    var datasetMode: DatasetWriteMode {
        overwrite ? .overwrite : (mode ?? .error).datasetMode
    }

    var writerProperties: WriterProperties {
        var properties = WriterProperties()
        properties.compression = compression.codec
        properties.compressionLevel = level
        properties.rowGroupRows = rowGroupRows
        properties.dataPageSize = pageSize
        properties.dataPageV2 = dataPageV2
        properties.dictionaryEnabled = !noDictionary
        properties.pageChecksums = pageChecksums
        return properties
    }

    func run() throws {
        runReportingErrors {
            if !writesDataset && datasetMode != .overwrite && access(output, F_OK) == 0 {
                throw ParquetError.invalidArgument("\(output) already exists; pass --overwrite to replace it")
            }
            let clock = Stopwatch()
            let rows: Int
            let written: String
            var note = ""
            if try Self.isParquet(input) {
                (rows, written) = try convertParquet()
            } else {
                (rows, written, note) = try CSVConversion(command: self).run()
            }
            if !quiet {
                StandardError.write("wrote \(rows) rows \(written) in \(ProgressBar.format(clock.seconds)) s\(note)\n")
            }
        }
    }

    /// True when `path` starts with the Parquet magic bytes.
    static func isParquet(_ path: String) throws -> Bool {
        guard path != "-" else { return false }
        let file = try RandomAccessFile(path: path)
        guard file.size >= 4 else { return false }
        return try file.read(offset: 0, count: 4).withUnsafeBytes { Array($0) } == Array("PAR1".utf8)
    }

    /// Rewrites a Parquet input; returns the rows and the summary of what was written.
    private func convertParquet() throws -> (rows: Int, written: String) {
        var readOptions = ReadOptions()
        readOptions.threads = threads
        let reader = try ParquetFileReader(path: input, options: readOptions)
        var properties = writerProperties
        // Keep the input's key/value metadata, except the Arrow schema pyarrow stores: it
        // describes the input's Arrow types, which need not match what Sparrow writes.
        properties.keyValueMetadata = reader.schema.schema.metadata.filter { $0.key != "ARROW:schema" }
        let batches = PrefetchingBatchReader(try reader.batches())
        let writer = try ConversionOutput(command: self, schema: batches.schema, properties: properties)
        let progress = ProgressBar(total: reader.rowCount, unit: "rows", quiet: quiet)
        var rows = 0
        do {
            while let batch = try batches.next() {
                try writer.write(batch)
                rows += batch.rowCount
                progress.update(rows)
            }
            let written = try writer.finish()
            progress.finish()
            return (rows, written)
        } catch {
            writer.abort()
            progress.finish()
            throw error
        }
    }
}

/// The `--mode` choices.
enum ConvertMode: String, ExpressibleByArgument, CaseIterable {
    case error, overwrite, append
    case overwritePartitions = "overwrite-partitions"

    var datasetMode: DatasetWriteMode {
        switch self {
        case .error: .errorIfExists
        case .overwrite: .overwrite
        case .append: .append
        case .overwritePartitions: .overwritePartitions
        }
    }
}

/// The `--compression` choices.
enum CompressionChoice: String, ExpressibleByArgument, CaseIterable {
    case zstd, snappy, gzip, lz4, brotli, none

    var codec: CompressionCodec {
        switch self {
        case .zstd: .zstd
        case .snappy: .snappy
        case .gzip: .gzip
        case .lz4: .lz4Raw
        case .brotli: .brotli
        case .none: .uncompressed
        }
    }
}
