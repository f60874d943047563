import Columnar

/// Something a plan can scan: a Parquet file or dataset, a CSV file, rows in memory. Execution
/// provides the implementations; the planner only needs the schema, a name and size estimates.
public protocol TableSource: AnyObject, Sendable {
    /// What EXPLAIN shows (`parquet /data/lineitem.parquet`).
    var displayName: String { get }
    var schema: Schema { get }
    /// Estimated rows, when the source knows (Parquet footers do).
    var estimatedRowCount: Int? { get }
    /// Whether filters given to the scan can skip data (row groups) before it is read.
    var supportsFilterPruning: Bool { get }
}
