import Columnar
import Parquet
import Query

/// What a row group's footer says about one column: its bounds when they are exact, its null
/// count, its row count.
struct ColumnStatistics {
    var min: ScalarValue?
    var max: ScalarValue?
    var nullCount: Int?
    var rowCount: Int
    /// Spark orders NaN above every number, and footers leave NaN out of the bounds.
    var mayHaveNaN = false

    /// Reads the statistics of `field` (a top-level primitive column) in `rowGroup`; nil when
    /// the chunk has none. Inexact (truncated) bounds are dropped: they never prune.
    init?(reader: ParquetFileReader, rowGroup: Int, field: Int) {
        let leaves = reader.schema.leafIndices(ofField: field)
        guard leaves.count == 1, !reader.schema.isNested(field: field) else { return nil }
        let group = reader.metadata.rowGroups[rowGroup]
        guard let meta = group.columns[leaves[0]].metaData, let statistics = meta.statistics else { return nil }
        let descriptor = reader.schema.columns[leaves[0]]
        let bounds = StatisticsBounds(statistics, column: descriptor)
        rowCount = Int(group.numRows)
        nullCount = statistics.nullCount.map { Int($0) }
        min = bounds.isMinExact ? bounds.min.flatMap { ColumnScalar.value(of: $0, at: 0) } : nil
        max = bounds.isMaxExact ? bounds.max.flatMap { ColumnScalar.value(of: $0, at: 0) } : nil
        // A float chunk's bounds leave NaN out; -0.0/+0.0 bounds are widened by readers (spec).
        if descriptor.dataType.isFloatingPointType {
            mayHaveNaN = (statistics.nanCount ?? 1) > 0
            if case .double(let low) = min?.payload, low == 0 { min = ScalarValue(.double(-0.0), type: min!.type) }
            if case .double(let high) = max?.payload, high == 0 { max = ScalarValue(.double(0.0), type: max!.type) }
        }
    }

    var allNull: Bool { nullCount == rowCount }
}

extension DataType {
    var isFloatingPointType: Bool { self == .float16 || self == .float32 || self == .float64 }
}
