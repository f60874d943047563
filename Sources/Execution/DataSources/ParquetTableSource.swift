import Columnar
import Parquet
import Query

/// A Parquet file as a table: its schema and row-group statistics come from the footer, read
/// once when the table is named; scans read only the projected column chunks.
public final class ParquetTableSource: TableSource, @unchecked Sendable {
    public let path: String
    public let reader: ParquetFileReader

    public init(path: String) throws {
        var options = ReadOptions()
        // Tasks give the parallelism; each decodes its row groups on its own thread.
        options.threads = 1
        // Kernels and aggregates work per dictionary entry; expanding low-cardinality decimals
        // (TPC-H quantities, discounts, taxes) would only copy them.
        options.keepFixedWidthDictionaries = true
        do {
            reader = try ParquetFileReader(path: path, options: options)
        } catch {
            throw ExecutionError.input(path: path, detail: "\(error)")
        }
        self.path = path
    }

    public var displayName: String { "parquet \(path)" }
    public var schema: Schema { reader.schema.schema }
    public var estimatedRowCount: Int? { reader.rowCount }
    public var supportsFilterPruning: Bool { true }

    public var rowGroupCount: Int { reader.rowGroupCount }

    /// Compressed bytes of the given fields' column chunks in a row group: what a scan reads.
    public func compressedBytes(rowGroup: Int, fields: [Int]) -> Int {
        let columns = reader.metadata.rowGroups[rowGroup].columns
        return fields.reduce(0) { total, field in
            total + reader.schema.leafIndices(ofField: field).reduce(0) { sum, leaf in
                sum + Int(columns[leaf].metaData?.totalCompressedSize ?? 0)
            }
        }
    }

    public func rowCount(rowGroup: Int) -> Int { Int(reader.metadata.rowGroups[rowGroup].numRows) }
}
