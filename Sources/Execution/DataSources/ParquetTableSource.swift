import Columnar
import Parquet
import Query

/// A Parquet table: one file, whose footer is read when the table is named, or a directory of
/// files in the Hive layout (`ParquetDataset`), whose `k=v` directories become columns after the
/// file columns. Scans read only the projected column chunks.
public final class ParquetTableSource: TableSource, @unchecked Sendable {
    public let path: String
    /// The file, for a single-file table.
    public let file: ParquetFileReader?
    /// The directory, for a dataset.
    public let dataset: ParquetDataset?
    public let schema: Schema

    public init(path: String, options: DatasetOptions = DatasetOptions()) throws {
        self.path = path
        if DatasetFileSystem.kind(path) == .directory {
            let dataset = try ParquetDataset(root: path, options: options)
            self.dataset = dataset
            file = nil
            schema = dataset.schema
        } else {
            let reader = try Self.open(path)
            file = reader
            dataset = nil
            schema = reader.schema.schema
        }
    }

    /// Opens a file of the table for scanning.
    static func open(_ path: String) throws -> ParquetFileReader {
        var options = ReadOptions()
        // Tasks give the parallelism; each decodes its row groups on its own thread.
        options.threads = 1
        // Kernels and aggregates work per dictionary entry; expanding low-cardinality decimals
        // (TPC-H quantities, discounts, taxes) would only copy them.
        options.keepFixedWidthDictionaries = true
        do {
            return try ParquetFileReader(path: path, options: options)
        } catch {
            throw ExecutionError.input(path: path, detail: "\(error)")
        }
    }

    public var displayName: String { "parquet \(path)" }
    public var estimatedRowCount: Int? { file?.rowCount }
    public var supportsFilterPruning: Bool { true }

    /// How many of the table's columns come from the files; the partition columns follow.
    public var fileColumnCount: Int { dataset?.fileSchema.fields.count ?? schema.fields.count }
}
