import Columnar
import Parquet
import Query

/// Reads a Parquet file's projected columns. Row groups whose statistics prove the pushed filters
/// false are skipped when the scan is planned; the rest are split into partitions of about
/// `targetPartitionBytes` compressed bytes, one task each.
public final class ParquetScanExec: ExecutionPlan, @unchecked Sendable {
    public let source: ParquetTableSource
    public let fields: [Int]
    public let filters: [Expr]
    public let limit: Int?
    public let schema: PlanSchema
    public let metrics = OperatorMetrics()
    /// The row groups each partition reads.
    public let partitions: [[Int]]
    public let prunedRowGroups: Int

    public init(source: ParquetTableSource, fields: [Int], filters: [Expr], limit: Int?, schema: PlanSchema,
                targetPartitionBytes: Int) {
        self.source = source
        self.fields = fields
        self.filters = filters
        self.limit = limit
        self.schema = schema
        let pruner = StatisticsPruner(reader: source.reader)
        let groups = (0..<source.rowGroupCount).filter { pruner.mayMatch(rowGroup: $0, conjuncts: filters) }
        prunedRowGroups = source.rowGroupCount - groups.count
        var partitions: [[Int]] = []
        var current: [Int] = []
        var bytes = 0
        for group in groups {
            let size = max(1, source.compressedBytes(rowGroup: group, fields: fields))
            if !current.isEmpty && bytes + size > targetPartitionBytes {
                partitions.append(current)
                current = []
                bytes = 0
            }
            current.append(group)
            bytes += size
        }
        if !current.isEmpty { partitions.append(current) }
        self.partitions = partitions.isEmpty ? [[]] : partitions
        metrics.rowGroupsTotal.store(source.rowGroupCount, ordering: .relaxed)
        metrics.rowGroupsPruned.store(prunedRowGroups, ordering: .relaxed)
    }

    public var name: String { "ParquetScanExec" }
    public var detail: String {
        var text = "\(source.path) [\(schema.columns.map(\.name).joined(separator: ", "))]"
        if !filters.isEmpty { text += " PushedFilters: [\(filters.map(\.description).joined(separator: ", "))]" }
        text += " RowGroups: \(source.rowGroupCount - prunedRowGroups) of \(source.rowGroupCount)"
        if let limit { text += " Limit: \(limit)" }
        return text
    }
    public var children: [any ExecutionPlan] { [] }
    public var partitionCount: Int { partitions.count }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        ScanStream(scan: self, rowGroups: partitions[partition][...], context: context)
    }

    /// Reads one partition's row groups one at a time, so metrics count what was really read.
    final class ScanStream: BatchStream {
        let scan: ParquetScanExec
        var rowGroups: ArraySlice<Int>
        let context: TaskContext
        var reader: BatchReader?
        var rowsLeftInGroup = 0
        var produced = 0

        init(scan: ParquetScanExec, rowGroups: ArraySlice<Int>, context: TaskContext) {
            self.scan = scan
            self.rowGroups = rowGroups
            self.context = context
        }

        func next() throws -> RecordBatch? {
            try context.checkCancelled()
            if let limit = scan.limit, produced >= limit { return nil }
            while true {
                if scan.fields.isEmpty, rowsLeftInGroup > 0 {
                    // No columns needed (count(*)): the footer's row counts are the answer.
                    let rows = min(rowsLeftInGroup, 65_536)
                    rowsLeftInGroup -= rows
                    return emit(RecordBatch(schema: Schema([]), columns: [], rowCount: rows))
                }
                if let reader, let batch = try readBatch(reader) { return emit(batch) }
                guard let group = rowGroups.popFirst() else { return nil }
                scan.metrics.rowGroupsScanned.add(1, ordering: .relaxed)
                if scan.fields.isEmpty {
                    rowsLeftInGroup = scan.source.rowCount(rowGroup: group)
                    continue
                }
                scan.metrics.bytesRead.add(scan.source.compressedBytes(rowGroup: group, fields: scan.fields), ordering: .relaxed)
                do {
                    reader = try scan.source.reader.batches(fields: scan.fields, rowGroups: [group])
                } catch {
                    throw ExecutionError.input(path: scan.source.path, detail: "\(error)")
                }
            }
        }

        func readBatch(_ reader: BatchReader) throws -> RecordBatch? {
            do {
                return try reader.next()
            } catch {
                throw ExecutionError.input(path: scan.source.path, detail: "\(error)")
            }
        }

        func emit(_ batch: RecordBatch) -> RecordBatch {
            var batch = batch
            if let limit = scan.limit, produced + batch.rowCount > limit { batch = batch.slice(0..<(limit - produced)) }
            produced += batch.rowCount
            scan.metrics.add(rows: batch.rowCount)
            return batch
        }
    }
}
