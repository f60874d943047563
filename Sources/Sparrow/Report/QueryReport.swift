import Execution

/// What one query did, for the job report: its text, time, physical plan with metrics, stages and
/// adaptive decisions. Plain values, so a report can be built, stored as JSON and rendered apart
/// from the run that made it.
public struct QueryReport: Sendable, Codable, Equatable {
    /// One line of the physical plan as EXPLAIN draws it, with the stage the operator ran in.
    public struct PlanLine: Sendable, Codable, Equatable {
        /// The tree drawing before the operator (`:  +- `).
        public var prefix: String
        public var name: String
        public var detail: String
        /// The operator's metrics as `--analyze` prints them (`(rows=3, …)`).
        public var metrics: String
        /// The stage the operator belongs to; an exchange belongs to the stage that wrote it.
        public var stageID: Int?

        public init(prefix: String, name: String, detail: String, metrics: String, stageID: Int?) {
            self.prefix = prefix
            self.name = name
            self.detail = detail
            self.metrics = metrics
            self.stageID = stageID
        }
    }

    /// The statement as written (for `scan`, the command line).
    public var query: String
    /// From the start of the statement to the last row printed.
    public var seconds: Double
    public var executorThreads: Int
    /// Rows the result stage returned; nil when the query did not get that far.
    public var resultRows: Int?
    /// Why the query failed, if it did.
    public var error: String?
    public var plan: [PlanLine]
    /// Ascending by id.
    public var stages: [Stage]
    public var adaptiveDecisions: [AdaptiveDecision]

    public init(query: String, seconds: Double, executorThreads: Int, resultRows: Int?, error: String? = nil,
                plan: [PlanLine], stages: [Stage], adaptiveDecisions: [AdaptiveDecision]) {
        self.query = query
        self.seconds = seconds
        self.executorThreads = executorThreads
        self.resultRows = resultRows
        self.error = error
        self.plan = plan
        self.stages = stages
        self.adaptiveDecisions = adaptiveDecisions
    }

    /// The report of a query that ran (or failed while running) in `execution`; without an
    /// execution (the query failed before planning) only the text, time and error.
    public init(query: String, execution: QueryExecution?, seconds: Double, error: String? = nil) {
        guard let execution else {
            self.init(query: query, seconds: seconds, executorThreads: 0, resultRows: nil, error: error,
                      plan: [], stages: [], adaptiveDecisions: [])
            return
        }
        let scheduler = execution.scheduler
        let stages = scheduler.stageReports.sorted { $0.id < $1.id }
        let resultStage = scheduler.stageID(of: execution.physical)
        let resultRows = stages.first { $0.id == resultStage }?.outputRows
        let kinds = Dictionary(uniqueKeysWithValues: stages.map { ($0.id, Stage.Kind(rootOperator: $0.operators.first ?? "")) })
        self.init(query: query, seconds: seconds, executorThreads: scheduler.pool.threads,
                  resultRows: error == nil ? resultRows : nil, error: error,
                  plan: Self.planLines(execution.physical, scheduler: scheduler),
                  stages: stages.map { Stage($0, kind: $0.id == resultStage ? .result : kinds[$0.id]!) },
                  adaptiveDecisions: scheduler.adaptiveDecisions)
    }

    /// The plan's lines in EXPLAIN's order; an operator without a stage of its own inherits its
    /// parent's.
    static func planLines(_ root: any ExecutionPlan, scheduler: StageScheduler) -> [PlanLine] {
        var lines: [PlanLine] = []
        func walk(_ plan: any ExecutionPlan, prefix: String, childPrefix: String, stage: Int?) {
            let own = scheduler.stageID(of: plan) ?? stage
            lines.append(PlanLine(prefix: prefix, name: plan.name, detail: plan.detail, metrics: plan.metrics.summary, stageID: own))
            for (i, child) in plan.children.enumerated() {
                let last = i == plan.children.count - 1
                walk(child, prefix: childPrefix + "+- ", childPrefix: childPrefix + (last ? "   " : ":  "), stage: own)
            }
        }
        walk(root, prefix: "", childPrefix: "", stage: nil)
        return lines
    }
}
