import Execution
import Foundation
import Parquet
import Query

/// `df.write`: runs the query and writes its rows as Parquet, as Spark's DataFrameWriter.
///
///     try df.write.partitionBy("order_date", "region").mode("overwrite")
///         .option("partitionOverwriteMode", "dynamic").option("maxRecordsPerFile", 1_000_000)
///         .parquet("sales/")
///
/// With `partitionBy`, `maxRecordsPerFile` or mode `append`, `parquet(path)` writes a dataset
/// directory in the Hive layout (`PartitionedDatasetWriter`: `path/order_date=…/region=…/part-….parquet`,
/// staged and moved into place, `_SUCCESS` last). Otherwise it writes the rows as one Parquet file
/// at `path`, where Spark would write a directory holding one file: a single file is what the rest
/// of Sparrow (`read.parquet`, `sparrow scan`) has read so far, and Spark, pyarrow and DuckDB read
/// it as well.
///
/// Options (keys ignore case, as in Spark; keys Sparrow does not know are ignored, as Spark does):
/// `compression` (or `parquet.compression`: snappy, gzip, lz4 = LZ4_RAW, zstd, brotli, none or
/// uncompressed), `maxRecordsPerFile` (rows per file, 0 for no limit), `partitionOverwriteMode`
/// (`static` or `dynamic`: with mode `overwrite`, replace only the partitions written). Defaults
/// come from the session: `spark.sql.parquet.compression.codec` (Sparrow's default zstd),
/// `spark.sql.files.maxRecordsPerFile`, `spark.sql.sources.partitionOverwriteMode`.
public struct DataFrameWriter: Sendable {
    let frame: DataFrame
    var saveMode = SaveMode.errorIfExists
    var partitionColumns: [String] = []
    /// Options as given, keys lower-cased.
    var options: [String: String] = [:]

    /// Spark's `SaveMode`.
    enum SaveMode {
        case errorIfExists, overwrite, append, ignore
    }

    /// `"error"`/`"errorifexists"`/`"default"` (fail when the target exists), `"overwrite"`,
    /// `"append"` (add files to a dataset directory) or `"ignore"` (do nothing when it exists).
    public func mode(_ mode: String) throws -> DataFrameWriter {
        var writer = self
        switch mode.lowercased() {
        case "overwrite": writer.saveMode = .overwrite
        case "append": writer.saveMode = .append
        case "ignore": writer.saveMode = .ignore
        case "error", "errorifexists", "default": writer.saveMode = .errorIfExists
        default: throw SessionError.invalidArgument("write mode '\(mode)': expected error, errorifexists, overwrite, append or ignore")
        }
        return writer
    }

    /// Partitions the output by these columns: one directory level per column, in this order.
    public func partitionBy(_ columns: String...) -> DataFrameWriter { partitionBy(columns) }

    public func partitionBy(_ columns: [String]) -> DataFrameWriter {
        var writer = self
        writer.partitionColumns = columns
        return writer
    }

    public func option(_ key: String, _ value: String) -> DataFrameWriter {
        var writer = self
        writer.options[key.lowercased()] = value
        return writer
    }

    public func option(_ key: String, _ value: Int) -> DataFrameWriter { option(key, String(value)) }
    public func option(_ key: String, _ value: Bool) -> DataFrameWriter { option(key, String(value)) }

    public func options(_ options: [String: String]) -> DataFrameWriter {
        options.reduce(self) { $0.option($1.key, $1.value) }
    }

    /// Writes the rows as Parquet at `path`: a dataset directory or one file (see the type's notes).
    public func parquet(_ path: String) throws {
        let maxRows = try maxRecordsPerFile
        if !partitionColumns.isEmpty || maxRows > 0 || saveMode == .append {
            let mode: DatasetWriteMode
            switch saveMode {
            case .errorIfExists: mode = .errorIfExists
            case .append: mode = .append
            case .overwrite: mode = try dynamicPartitionOverwrite ? .overwritePartitions : .overwrite
            case .ignore:
                if FileManager.default.fileExists(atPath: path) { return }
                mode = .errorIfExists
            }
            try writeDataset(to: path, mode: mode)
            return
        }
        switch saveMode {
        case .errorIfExists, .append:
            if FileManager.default.fileExists(atPath: path) {
                throw SessionError.invalidArgument("\(path) already exists; use mode(\"overwrite\")")
            }
        case .ignore:
            if FileManager.default.fileExists(atPath: path) { return }
        case .overwrite:
            break
        }
        let execution = try frame.queryExecution()
        let writer = try ParquetFileWriter(path: path, schema: execution.schema.schema, properties: try properties(),
                                           threads: frame.session.conf.execution.threads)
        do {
            try execution.stream { batch in
                try writer.write(batch)
                return true
            }
            try writer.close()
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Runs the query into a dataset directory at `path`; what `INSERT OVERWRITE DIRECTORY` runs.
    @discardableResult
    func writeDataset(to path: String, mode: DatasetWriteMode) throws -> PartitionedWriteReport {
        let execution = try frame.queryExecution()
        var options = PartitionedWriteOptions()
        options.partitionColumns = partitionColumns
        options.mode = mode
        options.maxRowsPerFile = try maxRecordsPerFile
        options.properties = try properties()
        options.threads = frame.session.conf.execution.threads
        let writer = try PartitionedDatasetWriter(target: path, schema: execution.schema.schema, options: options)
        do {
            try execution.stream { batch in
                try writer.write(batch)
                return true
            }
            return try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
    }

    private var conf: RuntimeConfig { frame.session.conf }

    func properties() throws -> WriterProperties {
        var properties = WriterProperties()
        if let name = options["compression"] ?? options["parquet.compression"] {
            guard let codec = RuntimeConfig.parquetCodec(name) else {
                throw SessionError.invalidArgument("compression '\(name)': expected snappy, gzip, lz4, zstd, brotli, none or uncompressed")
            }
            properties.compression = codec
        } else {
            properties.compression = conf.parquetCompression
        }
        return properties
    }

    var maxRecordsPerFile: Int {
        get throws {
            guard let text = options["maxrecordsperfile"] else { return conf.maxRecordsPerFile }
            guard let rows = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw SessionError.invalidArgument("maxRecordsPerFile '\(text)': expected a number of rows (0 for no limit)")
            }
            return max(rows, 0)
        }
    }

    var dynamicPartitionOverwrite: Bool {
        get throws {
            guard let text = options["partitionoverwritemode"] else { return conf.dynamicPartitionOverwrite }
            guard let dynamic = RuntimeConfig.partitionOverwriteMode(text) else {
                throw SessionError.invalidArgument("partitionOverwriteMode '\(text)': expected static or dynamic")
            }
            return dynamic
        }
    }
}
