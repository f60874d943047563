import Columnar
import Query
import Synchronization

/// A hash join: builds a hash table from one side's rows and streams the other side's rows
/// through it. `broadcast`: the build side (a `BroadcastExchangeExec`) is built once and shared
/// by all tasks of the probe side, which is not shuffled. `partitioned`: both sides come hash-
/// partitioned on the keys, and each task builds from its own partition of the build side,
/// within the memory budget (`GraceHashJoinStream`).
///
/// Candidates come from equal key hashes; the condition (key equality and any other ON terms)
/// decides on the candidate pairs, so outer, semi and anti joins see the condition as matching,
/// not as a filter after the join.
public final class HashJoinExec: ExecutionPlan, @unchecked Sendable {
    public enum BuildSide: String, Sendable { case left, right }
    public enum Distribution: String, Sendable { case broadcast, partitioned }

    public let type: JoinType
    // Adaptive execution may turn a partitioned join into a broadcast one before its stage runs
    // (`convertToBroadcast`); tasks only ever see the final strategy.
    public private(set) var buildSide: BuildSide
    public private(set) var distribution: Distribution
    public private(set) var left: any ExecutionPlan
    public private(set) var right: any ExecutionPlan
    /// The planner's size estimates of the inputs (nil: unknown), which adaptive execution uses to
    /// pick the side whose shuffle runs first.
    var leftEstimate: Int?
    var rightEstimate: Int?
    private(set) var convertedByAdaptiveExecution = false
    /// Adaptive execution chose the build side from the measured shuffle sizes.
    private(set) var buildSideMeasured = false
    /// A SHUFFLE_HASH or SHUFFLE_MERGE hint asked for a shuffle: adaptive execution keeps it.
    var shuffleHinted = false
    public let leftKeys: [Expr]
    public let rightKeys: [Expr]
    /// Over the left columns then the right ones (`conditionSchema`).
    public let condition: Expr?
    public let schema: PlanSchema
    public let metrics = OperatorMetrics()
    /// The inputs' columns that belong to the join (an input may carry computed key columns
    /// after them).
    let leftWidth: Int
    let rightWidth: Int
    let conditionSchema: PlanSchema
    let compiledCondition: CompiledExpression?
    let compiledLeftKeys: [CompiledExpression]
    let compiledRightKeys: [CompiledExpression]
    /// A dataset scan on the probe side whose partitions the build side's keys prune.
    var dynamicPruning: DynamicPruningTarget?
    /// Whether a broadcast build's keys filter the rows of a Parquet scan below the probe side
    /// (`JoinKeyScanFilter`; also after AQE made the join a broadcast join).
    var filtersProbeScan = false
    /// The broadcast side's table, built by the first task that needs it.
    private let sharedTable = Mutex<JoinHashTable?>(nil)

    public init(type: JoinType, buildSide: BuildSide, distribution: Distribution, left: any ExecutionPlan, right: any ExecutionPlan,
                leftKeys: [Expr], rightKeys: [Expr], condition: Expr?, leftWidth: Int, rightWidth: Int,
                conditionSchema: PlanSchema, schema: PlanSchema) throws {
        self.type = type
        self.buildSide = buildSide
        self.distribution = distribution
        self.left = left
        self.right = right
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.condition = condition
        self.leftWidth = leftWidth
        self.rightWidth = rightWidth
        self.conditionSchema = conditionSchema
        self.schema = schema
        compiledCondition = try condition.map { try CompiledExpression.compile($0, input: conditionSchema) }
        compiledLeftKeys = try leftKeys.map { try CompiledExpression.compile($0, input: left.schema) }
        compiledRightKeys = try rightKeys.map { try CompiledExpression.compile($0, input: right.schema) }
    }

    public var name: String { distribution == .broadcast ? "BroadcastHashJoinExec" : "ShuffledHashJoinExec" }
    public var detail: String {
        var parts = ["\(type)", "BuildSide.\(buildSide)"]
        if !leftKeys.isEmpty {
            parts.insert("[\(leftKeys.map(\.description).joined(separator: ", "))], [\(rightKeys.map(\.description).joined(separator: ", "))]", at: 0)
        }
        if let condition { parts.append("condition=\(condition)") }
        if convertedByAdaptiveExecution { parts.append("converted from a shuffled join by AQE") }
        if buildSideMeasured { parts.append("build side from the measured shuffle sizes by AQE") }
        return "(" + parts.joined(separator: ", ") + ")"
    }
    public var children: [any ExecutionPlan] { [left, right] }
    var probe: any ExecutionPlan { buildSide == .left ? right : left }
    var buildKeys: [CompiledExpression] { buildSide == .left ? compiledLeftKeys : compiledRightKeys }
    var probeKeys: [CompiledExpression] { buildSide == .left ? compiledRightKeys : compiledLeftKeys }
    var build: any ExecutionPlan { buildSide == .left ? left : right }
    public var partitionCount: Int { probe.partitionCount }

    public func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
        guard distribution == .broadcast else {
            let probe = self.probe
            let stream = GraceHashJoinStream(join: self, build: try build.execute(partition: partition, context: context),
                                             probe: { try probe.execute(partition: partition, context: context) }, context: context)
            return MeteredStream(stream, metrics)
        }
        // A broadcast side is small by choice (estimate, hint or measured shuffle) and is held
        // outside the budget, as Spark keeps broadcasts out of execution memory.
        let table = try sharedTable.withLock { shared in
            if let shared { return shared }
            let built = try buildTable(context: context)
            shared = built
            if let target = dynamicPruning {
                // Before any probe task starts its scan.
                target.scan.applyDynamicFilter(target.filter(buildKeys: try built.keyColumns(buildKeys[target.keyIndex])))
            }
            if filtersProbeScan, let target = JoinKeyScanFilter.target(of: self, table: built) {
                target.scan.applyJoinKeyFilter(target.filter)
            }
            return built
        }
        let stream = HashJoinStream(join: self, table: table, probe: try probe.execute(partition: partition, context: context),
                                    context: context)
        return MeteredStream(stream, metrics)
    }

    /// Makes the join a broadcast join building from `buildSide`'s (already shuffled) rows,
    /// probed by `probe`: the other side's input before its shuffle, which then never runs.
    func convertToBroadcast(buildSide: BuildSide, probe: any ExecutionPlan) {
        self.buildSide = buildSide
        distribution = .broadcast
        if buildSide == .left { right = probe } else { left = probe }
        convertedByAdaptiveExecution = true
    }

    /// Builds from `side`, whose shuffle turned out smaller than the estimates said (before the
    /// join's stage runs; an inner, semi or anti join, where either side may build).
    func buildFromMeasuredSide(_ side: BuildSide) {
        precondition([.inner, .leftSemi, .leftAnti].contains(type) && distribution == .partitioned,
                     "only a shuffled inner, semi or anti join may change its build side")
        guard side != buildSide else { return }
        buildSide = side
        buildSideMeasured = true
    }

    /// The broadcast side's rows, of all its partitions.
    private func buildTable(context: TaskContext) throws -> JoinHashTable {
        var batches: [RecordBatch] = []
        for part in 0..<build.partitionCount {
            let stream = try build.execute(partition: part, context: context)
            while let batch = try stream.next() {
                try context.checkCancelled()
                batches.append(batch)
            }
        }
        return try JoinHashTable(batches: batches, schema: build.schema.schema, keys: buildKeys)
    }
}
