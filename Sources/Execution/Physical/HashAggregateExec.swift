import Columnar
import Query

/// Hash aggregation in one of Spark's modes: `partial` aggregates each task's rows into one state
/// row per group, `final` merges the states an exchange brought together, `complete` does both in
/// one step (DISTINCT aggregates, whose state is the set of values), and `merge` merges states
/// into one state row per group (the middle of a DISTINCT aggregation's plan).
public final class HashAggregateExec: ExecutionPlan, @unchecked Sendable {
    public let mode: GroupedAggregator.Mode
    public let keys: [Expr]
    public let specs: [AggregateSpec]
    /// Per aggregate, its argument expressions (raw modes) or state columns (final and merge
    /// mode, and partial mode where `mergesStates` says so).
    public let arguments: [[Expr]]
    /// In partial mode, the aggregates whose arguments are states (nil: none).
    public let mergesStates: [Bool]?
    let compiledKeys: [CompiledExpression]
    /// Whether each key may be NULL, as the plan types it (narrower key rows when not).
    let keyNullable: [Bool]
    let compiledArguments: [[CompiledExpression]]
    public let input: any ExecutionPlan
    public let schema: PlanSchema
    /// How EXPLAIN names the aggregates (`sum(l_quantity)`).
    let aggregateNames: [String]
    public let metrics = OperatorMetrics()
    /// When a partial aggregation stops grouping (tests lower it).
    var partialSkipThreshold = PartialAggregateStream.SkipThreshold.standard

    public init(mode: GroupedAggregator.Mode, keys: [Expr], specs: [AggregateSpec], arguments: [[Expr]], mergesStates: [Bool]? = nil,
                aggregateNames: [String], input: any ExecutionPlan, schema: PlanSchema) throws {
        self.mode = mode
        self.mergesStates = mergesStates
        self.keys = keys
        self.specs = specs
        self.arguments = arguments
        self.aggregateNames = aggregateNames
        self.input = input
        self.schema = schema
        compiledKeys = try keys.map { try CompiledExpression.compile($0, input: input.schema) }
        keyNullable = try keys.map { try ExpressionTyping.typeAndNullability(of: $0, in: input.schema).nullable }
        compiledArguments = try arguments.map { try $0.map { try CompiledExpression.compile($0, input: input.schema) } }
    }

    public var name: String { "HashAggregateExec" }
    public var detail: String {
        "(mode=\(mode), keys=[\(keys.map(\.description).joined(separator: ", "))], functions=[\(aggregateNames.joined(separator: ", "))])"
    }
    public var children: [any ExecutionPlan] { [input] }
    public var partitionCount: Int { input.partitionCount }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        let stream = try input.execute(partition: partition, context: context)
        // Grouped partial and final aggregations keep within the query's memory budget;
        // complete mode (DISTINCT) and global aggregates, whose state does not grow, do not.
        if !keys.isEmpty && mode != .complete {
            let compiledKeys = self.compiledKeys
            let compiledArguments = self.compiledArguments
            let extract = { (batch: RecordBatch) throws -> ([Column], [[Column]]) in
                (try compiledKeys.map { try $0.evaluate(batch) }, try compiledArguments.map { try $0.map { try $0.evaluate(batch) } })
            }
            let keyTypes = compiledKeys.map(\.type)
            if mode == .final || mode == .merge {
                return MeteredStream(try SpillingAggregateStream(input: stream, extract: extract, keyTypes: keyTypes, keyNullable: keyNullable,
                                                                 specs: specs, mode: mode, outputSchema: schema.schema, context: context,
                                                                 metrics: metrics), metrics)
            }
            return MeteredStream(try PartialAggregateStream(input: stream, extract: extract, keyTypes: keyTypes, keyNullable: keyNullable,
                                                            specs: specs, mergesStates: mergesStates, outputSchema: schema.schema,
                                                            context: context, skipThreshold: partialSkipThreshold), metrics)
        }
        let aggregator = try GroupedAggregator(keyTypes: compiledKeys.map(\.type), keyNullable: keyNullable, aggregates: specs, mode: mode,
                                               mergesStates: mergesStates)
        while let batch = try stream.next() {
            try context.checkCancelled()
            let keyColumns = try compiledKeys.map { try $0.evaluate(batch) }
            let argumentColumns = try compiledArguments.map { try $0.map { try $0.evaluate(batch) } }
            try aggregator.update(keys: keyColumns, arguments: argumentColumns, rowCount: batch.rowCount)
        }
        // A global aggregate answers one row even over no input, but only once: in its final
        // (or complete) step, in partition 0.
        let outputSchema = schema.schema
        let batches = aggregator.finish().map { RecordBatch(schema: outputSchema, columns: $0.columns, rowCount: $0.rowCount) }
        let kept = (keys.isEmpty && !mode.outputsStates && partition > 0) ? [] : batches
        return MeteredStream(ArrayStream(kept), metrics)
    }
}
