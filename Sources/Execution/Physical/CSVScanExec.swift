import Columnar
import CSV
import Query

/// Reads a CSV file in one partition (the CSV reader parallelises conversion itself) and keeps
/// the projected columns.
public final class CSVScanExec: ExecutionPlan, @unchecked Sendable {
    public let source: CSVTableSource
    public let fields: [Int]
    public let limit: Int?
    public let schema: PlanSchema
    public let metrics = OperatorMetrics()

    public init(source: CSVTableSource, fields: [Int], limit: Int?, schema: PlanSchema) {
        self.source = source
        self.fields = fields
        self.limit = limit
        self.schema = schema
    }

    public var name: String { "CSVScanExec" }
    public var detail: String {
        "\(source.path) [\(schema.columns.map(\.name).joined(separator: ", "))]" + (limit.map { " Limit: \($0)" } ?? "")
    }
    public var children: [any ExecutionPlan] { [] }
    public var partitionCount: Int { 1 }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        let stream: CSVBatchStream
        do {
            stream = try source.batches()
        } catch {
            throw ExecutionError.input(path: source.path, detail: "\(error)")
        }
        let outputSchema = schema.schema
        var produced = 0
        let fields = self.fields
        let limit = self.limit
        let metrics = self.metrics
        let path = source.path
        return CSVStream {
            try context.checkCancelled()
            if let limit, produced >= limit {
                stream.cancel()
                return nil
            }
            let block: CSVBatch?
            do {
                block = try stream.next()
            } catch {
                throw ExecutionError.input(path: path, detail: "\(error)")
            }
            guard let block else { return nil }
            var batch = RecordBatch(schema: outputSchema, columns: fields.map { block.batch.columns[$0] }, rowCount: block.batch.rowCount)
            if let limit, produced + batch.rowCount > limit { batch = batch.slice(0..<(limit - produced)) }
            produced += batch.rowCount
            metrics.add(rows: batch.rowCount)
            return batch
        }
    }

    final class CSVStream: BatchStream {
        let pull: () throws -> RecordBatch?
        init(_ pull: @escaping () throws -> RecordBatch?) { self.pull = pull }
        func next() throws -> RecordBatch? { try pull() }
    }
}
