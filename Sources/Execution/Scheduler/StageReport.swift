/// What one stage did: its tasks' times, the rows it produced, what its scans read.
public struct StageReport: Sendable {
    public let id: Int
    /// The operators of the stage, from its output down to its inputs (scans or exchanges).
    public let operators: [String]
    /// The stages whose output this stage reads: those that materialized the exchanges below its
    /// root (a join reads two), ascending. Together they make the stages a DAG.
    public let inputStageIDs: [Int]
    public let tasks: Int
    public let taskSeconds: [Double]
    /// Rows each task produced (wrote into the exchange, or returned to the driver).
    public let taskRows: [Int]
    public let wallSeconds: Double
    public let outputRows: Int
    public let bytesRead: Int
    public let rowGroupsScanned: Int
    public let rowGroupsPruned: Int
    public let rowGroupsTotal: Int
    /// Dataset scans: directories listed, files read and files found in the listed directories.
    public let directoriesListed: Int
    public let filesScanned: Int
    public let filesTotal: Int
    /// Shuffle map stages: bytes (in-memory size) and rows written into the exchange, and the bytes
    /// per reduce partition.
    public let shuffleBytesWritten: Int
    public let shuffleRowsWritten: Int
    public let shuffleBytesWrittenByPartition: [Int]
    /// Stages reading exchanges: bytes read from them, and the spill-file bytes among those.
    public let shuffleBytesRead: Int
    public let shuffleSpillBytesRead: Int
    /// Spill files the stage's tasks wrote (exchange output, operators' spills) and their bytes.
    public let spillBytes: Int
    public let spillFiles: Int

    /// `stageOf` gives the stage an operator was the root of, if an earlier stage ran it.
    init(id: Int, root: any ExecutionPlan, input: any ExecutionPlan, taskSeconds: [Double], taskRows: [Int], wallSeconds: Double,
         stageOf: (any ExecutionPlan) -> Int? = { _ in nil }) {
        self.id = id
        self.tasks = taskSeconds.count
        self.taskSeconds = taskSeconds
        self.taskRows = taskRows
        self.wallSeconds = wallSeconds
        var operators: [String] = []
        var scans: [OperatorMetrics] = []
        var spilling: [OperatorMetrics] = []
        var exchangesRead: [ShuffleExchangeExec] = []
        var inputs: Set<Int> = []
        func walk(_ plan: any ExecutionPlan, isRoot: Bool) {
            operators.append(plan.name)
            if plan is ParquetScanExec || plan is CSVScanExec { scans.append(plan.metrics) }
            // Stop at the exchanges below: they belong to earlier stages.
            if !isRoot {
                let earlier = stageOf(plan)
                if let earlier { inputs.insert(earlier) }
                if let exchange = plan as? ShuffleExchangeExec { exchangesRead.append(exchange) }
                if earlier != nil || plan is ShuffleExchangeExec || plan is BroadcastExchangeExec { return }
            }
            spilling.append(plan.metrics)
            for child in plan.children { walk(child, isRoot: false) }
        }
        walk(root, isRoot: true)
        self.operators = operators
        inputStageIDs = inputs.sorted()
        outputRows = taskRows.reduce(0, +)
        bytesRead = scans.reduce(0) { $0 + $1.readBytes }
        rowGroupsScanned = scans.reduce(0) { $0 + $1.scannedRowGroups }
        rowGroupsPruned = scans.reduce(0) { $0 + $1.prunedRowGroups }
        rowGroupsTotal = scans.reduce(0) { $0 + $1.totalRowGroups }
        directoriesListed = scans.reduce(0) { $0 + $1.listedDirectories }
        filesScanned = scans.reduce(0) { $0 + $1.scannedFiles }
        filesTotal = scans.reduce(0) { $0 + $1.totalFiles }
        let written = (root as? ShuffleExchangeExec)?.shuffleMetrics
        shuffleBytesWritten = written?.bytesWritten ?? 0
        shuffleRowsWritten = written?.rowsWritten ?? 0
        shuffleBytesWrittenByPartition = written?.bytesWrittenByPartition ?? []
        shuffleBytesRead = exchangesRead.reduce(0) { $0 + $1.shuffleMetrics.bytesRead }
        shuffleSpillBytesRead = exchangesRead.reduce(0) { $0 + $1.shuffleMetrics.spillBytesRead }
        spillBytes = spilling.reduce(0) { $0 + $1.spillBytes }
        spillFiles = spilling.reduce(0) { $0 + $1.spillFiles }
    }

    public var slowestTask: (partition: Int, seconds: Double)? {
        guard let max = taskSeconds.indices.max(by: { taskSeconds[$0] < taskSeconds[$1] }) else { return nil }
        return (max, taskSeconds[max])
    }

    public var medianTaskSeconds: Double {
        let sorted = taskSeconds.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
