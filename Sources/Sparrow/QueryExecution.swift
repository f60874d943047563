import Columnar
import Execution
import Query

/// One query's way through the engine, as Spark's QueryExecution: the parsed plan, the analyzed
/// plan, the optimized plan (with the rules that fired), the physical plan, and after running,
/// the stages' reports.
public final class QueryExecution: @unchecked Sendable {
    public let parsed: LogicalPlan
    public let analyzed: LogicalPlan
    /// The analyzed plan with the subtrees the session has cached replaced by scans of their
    /// cached rows (Spark's `withCachedData`); what the optimizer starts from.
    public let withCachedData: LogicalPlan
    public let optimized: LogicalPlan
    public let appliedRules: [String]
    public let physical: any ExecutionPlan
    let config: ExecutionConfig
    public let scheduler: StageScheduler

    init(parsed: LogicalPlan, session: Session) throws {
        self.parsed = parsed
        let analyzer = Analyzer(catalog: session.catalog)
        analyzed = try analyzer.analyze(parsed)
        withCachedData = try session.cacheManager.useCachedData(analyzed)
        (optimized, appliedRules) = try Self.optimizer.optimize(withCachedData)
        config = session.conf.execution
        physical = try PhysicalPlanner(config: config).plan(optimized)
        scheduler = StageScheduler(pool: ExecutorPool(threads: config.threads), adaptive: config.adaptive,
                                   broadcastThreshold: config.autoBroadcastJoinThreshold, memoryLimit: config.memoryLimit,
                                   spillParent: config.spillDirectory, spillCompression: config.spillCompression)
    }

    static let optimizer = Optimizer(context: OptimizerContext(evaluateConstant: { try ConstantEvaluator.evaluate($0) }))

    public var schema: PlanSchema { physical.schema }

    /// All rows, bounded by spark.driver.maxResultSize.
    public func collect() throws -> [RecordBatch] {
        let schema = self.schema.schema
        return try scheduler.collect(physical, maxResultBytes: config.maxResultBytes).map {
            RecordBatch(schema: schema, columns: $0.columns, rowCount: $0.rowCount)
        }
    }

    /// Hands the rows to `consume` batch by batch, in order, while the query runs; `consume`
    /// returns false to stop early.
    public func stream(_ consume: (RecordBatch) throws -> Bool) throws {
        let schema = self.schema.schema
        try scheduler.stream(physical) { batch in
            try consume(RecordBatch(schema: schema, columns: batch.columns, rowCount: batch.rowCount))
        }
    }

    /// EXPLAIN's text: the physical plan, or with `extended` every stage of planning.
    public func explainString(_ mode: ExplainMode) -> String {
        switch mode {
        case .simple:
            return "== Physical Plan ==\n" + physical.treeString()
        case .extended, .formatted:
            return """
            == Parsed Logical Plan ==
            \(parsed.treeString())

            == Analyzed Logical Plan ==
            \(analyzed.treeString())

            == Optimized Logical Plan ==
            \(optimized.treeString())
            Rules applied: \(appliedRules.isEmpty ? "none" : appliedRules.joined(separator: ", "))

            == Physical Plan ==
            \(physical.treeString())
            """
        }
    }

    /// After running: the physical plan with each operator's metrics, then one line per stage.
    public func analyzeString() -> String {
        var lines = ["== Physical Plan (with metrics) ==", physical.treeString(withMetrics: true), "", "== Stages =="]
        for stage in scheduler.stageReports {
            var line = "Stage \(stage.id): \(stage.tasks) task\(stage.tasks == 1 ? "" : "s"), \(format(stage.wallSeconds))"
            line += ", output rows \(stage.outputRows)"
            if stage.directoriesListed > 0 { line += ", directories listed \(stage.directoriesListed)" }
            if stage.filesTotal > 1 { line += ", files scanned \(stage.filesScanned) of \(stage.filesTotal) in the directories listed" }
            if stage.rowGroupsTotal > 0 {
                line += ", row groups scanned \(stage.rowGroupsScanned) of \(stage.rowGroupsTotal) (pruned \(stage.rowGroupsPruned))"
            }
            if stage.bytesRead > 0 { line += ", bytes read \(ByteCountText.text(stage.bytesRead))" }
            if stage.shuffleBytesRead > 0 {
                line += ", shuffle read \(ByteCountText.text(stage.shuffleBytesRead))"
                if stage.shuffleSpillBytesRead > 0 { line += " (\(ByteCountText.text(stage.shuffleSpillBytesRead)) from spill files)" }
            }
            if stage.shuffleRowsWritten > 0 { line += ", shuffle write \(ByteCountText.text(stage.shuffleBytesWritten))" }
            if stage.spillFiles > 0 {
                line += ", spill \(ByteCountText.text(stage.spillBytes)) (\(stage.spillFiles) file\(stage.spillFiles == 1 ? "" : "s"))"
            }
            if let slowest = stage.slowestTask, stage.tasks > 1 {
                let rows = stage.taskRows.sorted()
                line += ", rows per task \(rows.first!)/\(rows[rows.count / 2])/\(rows.last!) (min/median/max)"
                line += ", task time median \(format(stage.medianTaskSeconds)), slowest task \(slowest.partition) \(format(slowest.seconds))"
            }
            if !stage.inputStageIDs.isEmpty {
                line += ", reads stage\(stage.inputStageIDs.count == 1 ? "" : "s") \(stage.inputStageIDs.map(String.init).joined(separator: ", "))"
            }
            lines.append(line)
            lines.append("  operators: " + stage.operators.joined(separator: " <- "))
        }
        let decisions = scheduler.adaptiveDecisions
        if !decisions.isEmpty {
            lines += ["", "== Adaptive Execution =="] + decisions.map { "Stage \($0.stageID): \($0.kind.rawValue): \($0.message)" }
        }
        return lines.joined(separator: "\n")
    }

    func format(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : "\(Double(Int(seconds * 100)) / 100) s"
    }
}
