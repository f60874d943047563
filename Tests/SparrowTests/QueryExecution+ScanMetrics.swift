import Testing
@testable import Execution
@testable import Sparrow

extension QueryExecution {
    /// The metrics of the plan's one Parquet scan (files, row groups, bytes read).
    func parquetScanMetrics() throws -> OperatorMetrics {
        let scans = operators(ParquetScanExec.self)
        #expect(scans.count == 1)
        return try #require(scans.first?.metrics)
    }

    /// The physical plan's operators of one type, parents before their children.
    func operators<Operator>(_ type: Operator.Type) -> [Operator] {
        var found: [Operator] = []
        func find(_ plan: any ExecutionPlan) {
            if let match = plan as? Operator { found.append(match) }
            plan.children.forEach(find)
        }
        find(physical)
        return found
    }
}
