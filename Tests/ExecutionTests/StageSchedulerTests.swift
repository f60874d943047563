import Columnar
import Dispatch
import Foundation
import Query
import Testing
@testable import Execution

/// Sibling stages (the map stages of two exchanges that one stage reads) run at once, with stage
/// ids and reports in plan order, and a failure in one gives back what the other holds.
@Suite struct StageSchedulerTests {
    /// A one-partition leaf whose task signals `arrived`, then waits for `partner` (the other
    /// leaf's `arrived`): run one stage after the other, the first task gives up after the
    /// timeout and fails, since the second cannot start before it ends.
    final class RendezvousSourceExec: ExecutionPlan, @unchecked Sendable {
        let arrived = DispatchSemaphore(value: 0)
        var partner: DispatchSemaphore?
        let fails: Bool
        let metrics = OperatorMetrics()

        init(fails: Bool = false) { self.fails = fails }

        var name: String { "RendezvousSourceExec" }
        var detail: String { "" }
        var schema: PlanSchema { PlanSchema(Schema([Field("k", .int64)])) }
        var children: [any ExecutionPlan] { [] }
        var partitionCount: Int { 1 }

        func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
            arrived.signal()
            guard partner!.wait(timeout: .now() + 20) == .success else {
                throw ExecutionError.input(path: "rendezvous", detail: "the sibling stage's task did not start while this one ran")
            }
            if fails { throw ExecutionError.input(path: "rendezvous", detail: "failure injected by the test") }
            let keys = (0..<1000).map { Int64($0) }
            return ArrayStream([RecordBatch(schema: schema.schema, columns: [Column(.int64, keys)])])
        }
    }

    /// Reads both exchanges, like a shuffled join's stage.
    final class TwoInputsExec: ExecutionPlan, @unchecked Sendable {
        let children: [any ExecutionPlan]
        let metrics = OperatorMetrics()
        init(_ left: any ExecutionPlan, _ right: any ExecutionPlan) { children = [left, right] }
        var name: String { "TwoInputsExec" }
        var detail: String { "" }
        var schema: PlanSchema { children[0].schema }
        var partitionCount: Int { 1 }
        func execute(partition: Int, context: TaskContext) throws -> any BatchStream {
            throw ExecutionError.unsupported("not run by these tests")
        }
    }

    static func siblings(leftFails: Bool = false) -> (plan: TwoInputsExec, left: ShuffleExchangeExec, right: ShuffleExchangeExec) {
        let left = RendezvousSourceExec(fails: leftFails), right = RendezvousSourceExec()
        left.partner = right.arrived
        right.partner = left.arrived
        let leftExchange = ShuffleExchangeExec(partitioning: .hash(keys: [0], partitions: 4), input: left)
        let rightExchange = ShuffleExchangeExec(partitioning: .hash(keys: [0], partitions: 4), input: right)
        return (TwoInputsExec(leftExchange, rightExchange), leftExchange, rightExchange)
    }

    @Test func siblingMapStagesRunAtOnceWithIDsInPlanOrder() throws {
        let (plan, left, right) = Self.siblings()
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 2))
        try scheduler.prepare(plan)
        #expect(left.isMaterialized && right.isMaterialized)
        #expect(scheduler.stageID(of: left) == 0)
        #expect(scheduler.stageID(of: right) == 1)
        #expect(scheduler.stageReports.map(\.id) == [0, 1])
        #expect(scheduler.stageReports.map(\.tasks) == [1, 1])
        #expect(scheduler.stageReports.map(\.shuffleRowsWritten) == [1000, 1000])
        #expect(left.mapOutputStatistics?.rowsByPartition.reduce(0, +) == 1000)
        scheduler.finish(plan)
    }

    @Test func aFailedSiblingStageGivesBackWhatTheOtherHolds() throws {
        let (plan, left, right) = Self.siblings(leftFails: true)
        let scheduler = StageScheduler(pool: ExecutorPool(threads: 2))
        #expect(throws: ExecutionError.self) { try scheduler.prepare(plan) }
        #expect(!left.isMaterialized && !right.isMaterialized)
        #expect(scheduler.memory.usedBytes == 0)
        scheduler.finish(plan)
    }
}
