/// What one stage did: its tasks' times, the rows it produced, what its scans read.
public struct StageReport: Sendable {
    public let id: Int
    /// The operators of the stage, from its output down to its inputs (scans or exchanges).
    public let operators: [String]
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

    init(id: Int, root: any ExecutionPlan, input: any ExecutionPlan, taskSeconds: [Double], taskRows: [Int], wallSeconds: Double) {
        self.id = id
        self.tasks = taskSeconds.count
        self.taskSeconds = taskSeconds
        self.taskRows = taskRows
        self.wallSeconds = wallSeconds
        var operators: [String] = []
        var scans: [OperatorMetrics] = []
        func walk(_ plan: any ExecutionPlan, isRoot: Bool) {
            operators.append(plan.name)
            if plan is ParquetScanExec || plan is CSVScanExec { scans.append(plan.metrics) }
            // Stop at the exchanges below: they belong to earlier stages.
            if !isRoot && (plan is ShuffleExchangeExec || plan is BroadcastExchangeExec) { return }
            for child in plan.children { walk(child, isRoot: false) }
        }
        walk(root, isRoot: true)
        self.operators = operators
        outputRows = taskRows.reduce(0, +)
        bytesRead = scans.reduce(0) { $0 + $1.readBytes }
        rowGroupsScanned = scans.reduce(0) { $0 + $1.scannedRowGroups }
        rowGroupsPruned = scans.reduce(0) { $0 + $1.prunedRowGroups }
        rowGroupsTotal = scans.reduce(0) { $0 + $1.totalRowGroups }
        directoriesListed = scans.reduce(0) { $0 + $1.listedDirectories }
        filesScanned = scans.reduce(0) { $0 + $1.scannedFiles }
        filesTotal = scans.reduce(0) { $0 + $1.totalFiles }
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
