import Foundation
import Testing
@testable import Execution
@testable import Sparrow

/// Stages as a DAG: each stage names the stages whose exchanges it reads. The expected edges come
/// from the physical plan's shape (every exchange is written by one stage and read by the stage of
/// the operator above it), not from the scheduler's own numbering alone.
struct StageDAGTests {
    let session: Session = {
        let session = Session(threads: 2)
        try! session.setConf("spark.sql.shuffle.partitions", "4")
        return session
    }()

    func run(_ sql: String) throws -> QueryExecution {
        try session.read.parquet(DataFrameTests.path).createOrReplaceTempView("lineitem")
        let execution = try session.sql(sql).queryExecution()
        _ = try execution.collect()
        return execution
    }

    /// (writing stage, reading stage) for every exchange of the plan, by walking the plan: the
    /// reading stage is the one of the nearest operator above the exchange that started a stage.
    func exchangeEdges(_ execution: QueryExecution) throws -> Set<[Int]> {
        var edges: Set<[Int]> = []
        func walk(_ plan: any ExecutionPlan, stage: Int) throws {
            let own = execution.scheduler.stageID(of: plan)
            if plan is ShuffleExchangeExec || plan is BroadcastExchangeExec {
                let writer = try #require(own, "an exchange that no stage wrote")
                edges.insert([writer, stage])
            }
            for child in plan.children { try walk(child, stage: own ?? stage) }
        }
        let result = try #require(execution.scheduler.stageID(of: execution.physical))
        try walk(execution.physical, stage: result)
        return edges
    }

    func reportedEdges(_ execution: QueryExecution) -> Set<[Int]> {
        Set(execution.scheduler.stageReports.flatMap { stage in stage.inputStageIDs.map { [$0, stage.id] } })
    }

    @Test func aggregateWithOrderByIsAChain() throws {
        let execution = try run("SELECT l_returnflag, count(*) FROM lineitem GROUP BY 1 ORDER BY 1")
        let stages = execution.scheduler.stageReports.sorted { $0.id < $1.id }
        // Partial aggregate → hash exchange → final aggregate → single exchange → sort.
        #expect(stages.count == 3)
        #expect(stages.map(\.inputStageIDs) == [[], [0], [1]])
        #expect(reportedEdges(execution) == (try exchangeEdges(execution)))
        #expect(execution.analyzeString().contains("reads stage 1"))
    }

    @Test func unionOfTwoAggregatesReadsTwoStages() throws {
        let execution = try run("""
            SELECT l_shipmode AS k, count(*) AS n FROM lineitem GROUP BY 1
            UNION ALL
            SELECT l_returnflag AS k, count(*) AS n FROM lineitem GROUP BY 1
            """)
        let edges = try exchangeEdges(execution)
        #expect(edges.count == 2)
        #expect(reportedEdges(execution) == edges)
        let reader = try #require(execution.scheduler.stageReports.first { $0.inputStageIDs.count == 2 })
        #expect(reader.id == execution.scheduler.stageID(of: execution.physical))
    }

    @Test func shuffledJoinReadsBothSidesStages() throws {
        try session.setConf("spark.sql.autoBroadcastJoinThreshold", "-1")
        let execution = try run("""
            SELECT a.l_returnflag, count(*) FROM lineitem a JOIN lineitem b
            ON a.l_orderkey = b.l_orderkey AND a.l_linenumber = b.l_linenumber GROUP BY 1
            """)
        let edges = try exchangeEdges(execution)
        #expect(reportedEdges(execution) == edges)
        // Both sides' exchanges are read by the join's stage.
        let join = try #require(execution.scheduler.stageReports.first { $0.operators.contains("ShuffledHashJoinExec") })
        #expect(join.inputStageIDs.count == 2)
        #expect(edges.filter { $0[1] == join.id }.count == 2)
    }

    @Test func broadcastStagesHaveTheirKind() throws {
        let execution = try run("""
            SELECT /*+ BROADCAST(b) */ a.l_returnflag, count(*) FROM lineitem a
            JOIN (SELECT DISTINCT l_returnflag FROM lineitem) b ON a.l_returnflag = b.l_returnflag GROUP BY 1
            """)
        #expect(reportedEdges(execution) == (try exchangeEdges(execution)))
        let report = QueryReport(query: "q", execution: execution, seconds: 1)
        let broadcast = try #require(report.stages.first { $0.kind == .broadcast })
        #expect(broadcast.operators.first == "BroadcastExchangeExec")
        let probe = try #require(report.stages.first { $0.operators.contains("BroadcastHashJoinExec") })
        #expect(probe.inputStageIDs.contains(broadcast.id))
    }

    @Test func stageOfAnOperatorThatStartedNone() throws {
        let execution = try run("SELECT count(*) FROM lineitem WHERE l_quantity < 5")
        let scan = execution.operators(ParquetScanExec.self).first
        #expect(execution.scheduler.stageID(of: try #require(scan)) == nil)
        #expect(execution.scheduler.stageID(of: execution.physical) != nil)
    }

    @Test func recordedDecisionsReachAnalyzeAndTheReport() throws {
        try session.setConf("spark.sql.adaptive.enabled", "false")
        let execution = try run("SELECT l_returnflag, count(*) FROM lineitem GROUP BY 1")
        #expect(execution.scheduler.adaptiveDecisions.isEmpty)
        let decision = AdaptiveDecision(stageID: 0, kind: .coalesce, message: "coalesced 200 → 6 partitions")
        execution.scheduler.record(decision)
        #expect(execution.scheduler.adaptiveDecisions == [decision])
        #expect(execution.analyzeString().contains("== Adaptive Execution ==\nStage 0: coalesce: coalesced 200 → 6 partitions"))

        let report = QueryReport(query: "SELECT …", execution: execution, seconds: 0.5)
        #expect(report.adaptiveDecisions == [decision])
        let html = JobReport(command: "sparrow sql", queries: [report]).html()
        let rest = html[try #require(html.range(of: "<h3>Adaptive execution</h3>")).upperBound...]
        let section = String(rest[..<(try #require(rest.range(of: "</section>")).lowerBound)])
        #expect(section.contains("<li class=\"decision\" data-stage=\"0\">"))
        #expect(section.contains("<span class=\"decision-kind\">coalesce</span> coalesced 200 → 6 partitions"))
        #expect(!section.contains("<p class=\"none\">none</p>"))
    }

    /// The report of a run query: its stages, the result stage's rows, a plan line per operator.
    /// pyarrow: Fixtures/sql/data/lineitem.parquet has 11 row groups (one scan task each when
    /// partitions hold one byte) and 3 distinct l_returnflag values.
    @Test func queryReportOfARunQuery() throws {
        try session.setConf("spark.sql.files.maxPartitionBytes", "1")
        try session.setConf("spark.sql.adaptive.enabled", "false")
        let execution = try run("SELECT l_returnflag, count(*) FROM lineitem GROUP BY 1 ORDER BY 1")
        let report = QueryReport(query: "q", execution: execution, seconds: 1)
        #expect(report.stages.map(\.id) == [0, 1, 2])
        #expect(report.stages.map(\.kind) == [.shuffleMap, .shuffleMap, .result])
        #expect(report.stages[0].tasks == 11)
        #expect(report.stages[1].tasks == 4)
        #expect(report.resultRows == 3)
        #expect(report.executorThreads == 2)
        #expect(report.plan.count == execution.physical.treeString().split(separator: "\n").count)
        #expect(report.plan.first?.stageID == 2)
        #expect(report.plan.last?.name == "ParquetScanExec")
        #expect(report.plan.last?.stageID == 0)
        #expect(report.adaptiveDecisions.isEmpty)
    }
}
