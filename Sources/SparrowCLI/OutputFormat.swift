import ArgumentParser
import Columnar

/// The `--format` of commands that print rows.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, jsonl
    /// Decode everything, print only the row count: for timing a full read.
    case null

    func makeFormatter() -> (any RecordBatchFormatter)? {
        switch self {
        case .table: TableFormatter()
        case .csv: CSVFormatter()
        case .json: JSONFormatter()
        case .jsonl: JSONLinesFormatter()
        case .null: nil
        }
    }
}
