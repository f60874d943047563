import Columnar
import Query

/// Dynamic partition pruning: the partition values a broadcast join's build side has for a key
/// that is a partition column of the probe side's dataset. Files of other partitions cannot
/// match, so the probe scan skips them without opening them.
public struct DynamicPartitionFilter: Sendable {
    /// The partition column, as the scan names it, and its index among the files' partition values.
    public let column: String
    let partitionIndex: Int
    let values: Set<ScalarValue>

    /// Whether a file with these partition values may have matching rows (NULL never matches).
    func allows(_ partitionValues: [ScalarValue]) -> Bool {
        values.contains(partitionValues[partitionIndex])
    }
}

/// Where a join's probe key can prune: the dataset scan it comes from and the partition column.
struct DynamicPruningTarget: @unchecked Sendable {
    let scan: ParquetScanExec
    let column: String
    let partitionIndex: Int
    /// Which of the join's keys it is.
    let keyIndex: Int

    /// The scan below `plan` (through filters and projections that pass the column on) whose
    /// partition column `column` is, if any.
    static func find(_ plan: any ExecutionPlan, column: String, keyIndex: Int) -> DynamicPruningTarget? {
        switch plan {
        case let filter as FilterExec:
            return find(filter.input, column: column, keyIndex: keyIndex)
        case let project as ProjectExec:
            guard let expr = project.exprs.first(where: { $0.outputName.lowercased() == column.lowercased() }),
                  case .column(let reference) = expr.unaliased else { return nil }
            return find(project.input, column: reference.name, keyIndex: keyIndex)
        case let scan as ParquetScanExec:
            guard scan.source.dataset != nil,
                  let index = scan.schema.columns.firstIndex(where: { $0.name.lowercased() == column.lowercased() }) else { return nil }
            let field = scan.fields[index]
            guard field >= scan.source.fileColumnCount else { return nil }
            return DynamicPruningTarget(scan: scan, column: scan.schema.columns[index].name,
                                        partitionIndex: field - scan.source.fileColumnCount, keyIndex: keyIndex)
        default:
            return nil
        }
    }

    /// The filter for the build side's key values.
    func filter(buildKeys: [Column]) -> DynamicPartitionFilter {
        var values = Set<ScalarValue>()
        for column in buildKeys {
            for row in 0..<column.count where !column.isNull(row) {
                if let value = ColumnScalar.value(of: column, at: row) { values.insert(value) }
            }
        }
        return DynamicPartitionFilter(column: column, partitionIndex: partitionIndex, values: values)
    }
}
