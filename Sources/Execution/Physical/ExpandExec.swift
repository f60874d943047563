import Columnar
import Query

/// Spark's Expand: each input batch comes out once per projection, every projection giving the
/// same columns. DISTINCT aggregates over several arguments are planned with it: one projection
/// per argument, holding that argument and NULL in the others' columns, so that grouping by the
/// keys and every argument's column groups each argument's values on its own.
public final class ExpandExec: ExecutionPlan, @unchecked Sendable {
    public let projections: [[Expr]]
    let compiled: [[CompiledExpression]]
    public let input: any ExecutionPlan
    public let schema: PlanSchema
    public let metrics = OperatorMetrics()

    public init(projections: [[Expr]], input: any ExecutionPlan, schema: PlanSchema) throws {
        precondition(!projections.isEmpty && projections.allSatisfy { $0.count == schema.columns.count },
                     "every projection gives the schema's columns")
        self.projections = projections
        self.input = input
        self.schema = schema
        compiled = try projections.map { exprs in try exprs.map { try CompiledExpression.compile($0, input: input.schema) } }
    }

    public var name: String { "ExpandExec" }
    public var detail: String { projections.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" }.joined(separator: ", ") }
    public var children: [any ExecutionPlan] { [input] }
    public var partitionCount: Int { input.partitionCount }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        MeteredStream(Stream(input: try input.execute(partition: partition, context: context), compiled: compiled,
                             schema: schema.schema), metrics)
    }

    /// Evaluates the projections of one input batch at a time, handing on one batch per projection.
    final class Stream: BatchStream {
        let input: any BatchStream
        let compiled: [[CompiledExpression]]
        let schema: Schema
        private var batch: RecordBatch?
        private var nextProjection = 0

        init(input: any BatchStream, compiled: [[CompiledExpression]], schema: Schema) {
            self.input = input
            self.compiled = compiled
            self.schema = schema
        }

        func next() throws -> RecordBatch? {
            if batch == nil || nextProjection == compiled.count {
                guard let fresh = try input.next() else { return nil }
                batch = fresh
                nextProjection = 0
            }
            let batch = batch!
            defer { nextProjection += 1 }
            return RecordBatch(schema: schema, columns: try compiled[nextProjection].map { try $0.evaluate(batch) }, rowCount: batch.rowCount)
        }
    }
}
