import Testing
@testable import Execution
@testable import Sparrow

extension QueryExecution {
    /// The metrics of the plan's one Parquet scan (files, row groups, bytes read).
    func parquetScanMetrics() throws -> OperatorMetrics {
        var scans: [OperatorMetrics] = []
        func find(_ plan: any ExecutionPlan) {
            if plan is ParquetScanExec { scans.append(plan.metrics) }
            plan.children.forEach(find)
        }
        find(physical)
        #expect(scans.count == 1)
        return try #require(scans.first)
    }
}
