import Columnar
import Parquet
import Query

/// A broadcast join's build keys as a row filter in the probe side's Parquet scan (a runtime
/// filter, as Spark's `spark.sql.optimizer.runtime.bloomFilter.enabled` injects): the scan
/// decodes the key columns first, drops the rows the join table's Bloom filter rules out, and
/// decodes its other columns for the rest only. TPC-H Q10's customer scan keeps the 38% of
/// customers with orders in the quarter and decodes their names, addresses and comments only.
///
/// Only for joins that output nothing for an unmatched probe row (inner, left semi), with keys
/// that are the scan's own columns; the join still checks every row it gets, so the Bloom
/// filter's false positives cost decoding, not correctness.
struct JoinKeyScanFilter: @unchecked Sendable {
    let table: JoinHashTable
    /// Positions in the scan's output of the key columns, in key order.
    let columns: [Int]
    /// The key columns' names, for EXPLAIN.
    let names: [String]

    /// The rows of a batch whose key columns are `keys` (in key order) that may have a match.
    func selection(_ keys: [Column], rows: Int) throws -> RowSelection {
        let stride = table.wordsPerRow
        let resolved = keys.map(JoinKeyWords.resolved)
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, rows * stride))
        defer { words.deallocate() }
        for (j, key) in resolved.enumerated() { try JoinKeyWords.load(key, into: words, stride: stride, offset: j) }
        var mask = JoinKeyWords.present(resolved, rowCount: rows) ?? [UInt64](repeating: ~0, count: (rows + 63) >> 6)
        let kept = mask.withUnsafeMutableBufferPointer { table.clearAbsent(words, rowCount: rows, mask: $0.baseAddress!) }
        let buffer = mask.withUnsafeBytes { Buffer(copying: $0) }
        return RowSelection(mask: buffer, count: rows, setCount: kept)
    }

    /// The filter for `join`'s probe side, when its probe keys are columns of a Parquet scan
    /// below it (through filters and projections that pass them on) of the build keys' types.
    static func target(of join: HashJoinExec, table: JoinHashTable) -> (scan: ParquetScanExec, filter: JoinKeyScanFilter)? {
        guard join.type == .inner || (join.type == .leftSemi && join.buildSide == .right),
              table.wordsPerRow > 0, join.probeKeys.map(\.type) == table.keyTypes else { return nil }
        var names: [String] = []
        for key in join.buildSide == .left ? join.rightKeys : join.leftKeys {
            guard case .column(let reference) = key.unaliased else { return nil }
            names.append(reference.name)
        }
        var plan: any ExecutionPlan = join.probe
        while true {
            switch plan {
            case let filter as FilterExec:
                plan = filter.input
            case let project as ProjectExec:
                var renamed: [String] = []
                for name in names {
                    guard let expr = project.exprs.first(where: { $0.outputName.lowercased() == name.lowercased() }),
                          case .column(let reference) = expr.unaliased else { return nil }
                    renamed.append(reference.name)
                }
                names = renamed
                plan = project.input
            case let scan as ParquetScanExec:
                var columns: [Int] = []
                for name in names {
                    guard let index = scan.schema.columns.firstIndex(where: { $0.name.lowercased() == name.lowercased() }),
                          scan.fields[index] < scan.source.fileColumnCount else { return nil }
                    columns.append(index)
                }
                return (scan, JoinKeyScanFilter(table: table, columns: columns, names: columns.map { scan.schema.columns[$0].name }))
            default:
                return nil
            }
        }
    }
}
