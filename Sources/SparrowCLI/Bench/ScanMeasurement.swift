import Execution

/// One timed run of a query: its wall time, what its Parquet scans read, and its answer.
struct ScanMeasurement {
    var seconds: Double
    /// Directories listed: with partition pruning, those whose values the filters do not rule out.
    var directoriesListed = 0
    var filesScanned = 0
    /// Files in the directories listed (a scan that prunes while listing never sees the others).
    var filesFound = 0
    var rowGroupsScanned = 0
    var bytesRead = 0
    /// Rows the scans produced (before the filters that stayed above them).
    var rowsRead = 0
    /// The result as CSV, header included.
    var answer: String

    /// Adds up the metrics of every `ParquetScanExec` in `plan` (there is one, but a plan with a
    /// union would have more).
    init(plan: any ExecutionPlan, seconds: Double, answer: String) {
        self.seconds = seconds
        self.answer = answer
        var pending: [any ExecutionPlan] = [plan]
        while let node = pending.popLast() {
            pending.append(contentsOf: node.children)
            guard node.name == "ParquetScanExec" else { continue }
            let metrics = node.metrics
            directoriesListed += metrics.listedDirectories
            filesScanned += metrics.scannedFiles
            filesFound += metrics.totalFiles
            rowGroupsScanned += metrics.scannedRowGroups
            bytesRead += metrics.readBytes
            rowsRead += metrics.outputRows
        }
    }
}
