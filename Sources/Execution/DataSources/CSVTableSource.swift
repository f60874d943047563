import Columnar
import CSV
import Query

/// A CSV file as a table. Its column types are inferred from the whole file when the table is
/// named (a scan streams its rows, so types cannot widen half-way).
public final class CSVTableSource: TableSource, @unchecked Sendable {
    public let path: String
    public let options: CSVReadOptions
    public let schema: Schema
    let types: [CSVColumnType]

    public init(path: String, options: CSVReadOptions? = nil) throws {
        var readOptions = options ?? CSVReadOptions()
        if options == nil { readOptions.sampleRows = Int.max }
        do {
            let reader = try CSVReader(input: try CSVInput(path: path), options: readOptions)
            schema = reader.schema
            types = reader.types
        } catch {
            throw ExecutionError.input(path: path, detail: "\(error)")
        }
        self.path = path
        self.options = readOptions
    }

    public var displayName: String { "csv \(path)" }
    public var estimatedRowCount: Int? { nil }
    public var supportsFilterPruning: Bool { false }

    /// A fresh stream of the file's batches with the types found when the table was named.
    func batches() throws -> CSVBatchStream {
        let reader = try CSVReader(input: try CSVInput(path: path), options: options, types: types)
        return try reader.batches()
    }

    /// Whether `path` names a CSV file (by its extension) rather than Parquet.
    public static func isCSVPath(_ path: String) -> Bool {
        let lower = path.lowercased()
        return [".csv", ".tsv", ".txt", ".csv.gz", ".csv.zst", ".tsv.gz", ".tsv.zst"].contains { lower.hasSuffix($0) }
    }
}
