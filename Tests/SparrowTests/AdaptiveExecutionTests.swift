import Columnar
import Foundation
import Query
import Testing
@testable import Execution
@testable import Sparrow

/// Adaptive execution end to end over Fixtures/sql/data: the same rows with AQE on and off, and
/// the decisions it records. Expected values from DuckDB over the same files (`l`, `o`):
/// select count(*), sum(l_quantity) from l join (select distinct l_linenumber as n from l) d on l_linenumber = n
/// → 20060, 513358.00; select count(*), sum(o_totalprice) from l join o on l_orderkey = o_orderkey → 20060, 3565354443.38.
struct AdaptiveExecutionTests {
    func session(_ settings: [(String, String)]) throws -> Session {
        try JoinTests().session(settings)
    }

    func decisions(_ execution: QueryExecution) -> [AdaptiveDecision] { execution.scheduler.adaptiveDecisions }

    func run(_ session: Session, _ sql: String) throws -> (rows: [String], execution: QueryExecution) {
        let frame = try session.sql(sql)
        let execution = try frame.queryExecution()
        let batches = try execution.collect()
        let rows = batches.flatMap { batch in
            (0..<batch.rowCount).map { row in
                batch.columns.map { ColumnScalar.value(of: $0, at: row).map { "\($0)" } ?? "?" }.joined(separator: "|")
            }
        }
        return (rows, execution)
    }

    static let skewQuery = "SELECT count(*), sum(l_quantity) FROM l JOIN (SELECT DISTINCT l_linenumber AS n FROM l) d ON l.l_linenumber = d.n"

    /// Joining on l_linenumber puts 7 keys in 200 partitions: with tiny thresholds every non-empty
    /// partition of the lineitem side is skewed and read in slices of its 11 map outputs.
    @Test func skewedPartitionsAreSplitWithTheSameAnswer() throws {
        let common = [("spark.sql.autoBroadcastJoinThreshold", "-1"), ("spark.sql.files.maxPartitionBytes", "1"),
                      ("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "1k"),
                      ("spark.sql.adaptive.advisoryPartitionSizeInBytes", "1k")]
        let adaptive = try run(try session(common), Self.skewQuery)
        #expect(adaptive.rows == ["20060|513358.00"])
        let splits = decisions(adaptive.execution).filter { $0.kind == .skewSplit }
        #expect(!splits.isEmpty)
        #expect(splits.allSatisfy { $0.message.hasPrefix("split skewed partition ") && $0.message.contains("left side") })
        #expect(adaptive.execution.analyzeString().contains("split skewed partition"))

        let fixed = try run(try session(common + [("spark.sql.adaptive.enabled", "false")]), Self.skewQuery)
        #expect(fixed.rows == ["20060|513358.00"])
        #expect(decisions(fixed.execution).isEmpty)
    }

    /// Planned as a shuffled join (no broadcast at planning), the orders side's shuffle turns out
    /// small: the join becomes a broadcast join and lineitem is never shuffled.
    @Test func aSmallShuffledSideBecomesABroadcast() throws {
        let query = "SELECT count(*), sum(o_totalprice) FROM l JOIN o ON l_orderkey = o_orderkey"
        let settings = [("spark.sql.autoBroadcastJoinThreshold", "-1"), ("spark.sql.adaptive.autoBroadcastJoinThreshold", "10m")]
        let adaptive = try run(try session(settings), query)
        #expect(adaptive.rows == ["20060|3565354443.38"])
        let converted = decisions(adaptive.execution).filter { $0.kind == .convertToBroadcast }
        #expect(converted.count == 1)
        #expect(converted.first?.message.hasPrefix("converted to broadcast join: right side") == true)
        let plan = adaptive.execution.physical.treeString()
        #expect(plan.contains("BroadcastHashJoinExec"))
        #expect(plan.contains("converted from a shuffled join by AQE"))
        // Only the orders side's map stage ran before the result stage.
        #expect(adaptive.execution.scheduler.stageReports.count == 3)

        let hinted = try run(try session(settings), "SELECT /*+ SHUFFLE_HASH(o) */ count(*), sum(o_totalprice) FROM l JOIN o ON l_orderkey = o_orderkey")
        #expect(hinted.rows == ["20060|3565354443.38"])
        #expect(decisions(hinted.execution).allSatisfy { $0.kind != .convertToBroadcast })
    }

    /// The planner's estimate makes the filtered lineitem side (421 rows after l_quantity > 49)
    /// larger than orders (5,000): once both shuffles ran, the inner join builds from lineitem,
    /// whose shuffle was the smaller. A SHUFFLE_HASH hint keeps its side. DuckDB:
    /// select count(*), sum(o_totalprice) from o join l on l_orderkey = o_orderkey where l_quantity > 49 → 421, 87338605.93
    @Test func anInnerJoinBuildsFromTheSmallerMeasuredShuffle() throws {
        let session = try session([("spark.sql.autoBroadcastJoinThreshold", "-1")])
        let query = "SELECT HINT count(*), sum(o_totalprice) FROM o JOIN l ON l_orderkey = o_orderkey WHERE l_quantity > 49"
        let measured = try run(session, query.replacingOccurrences(of: "HINT ", with: ""))
        #expect(measured.rows == ["421|87338605.93"])
        let join = try #require(measured.execution.physical.treeString().split(separator: "\n").first { $0.contains("ShuffledHashJoinExec") })
        #expect(join.contains("BuildSide.right") && join.contains("build side from the measured shuffle sizes by AQE"), "\(join)")
        let hinted = try run(session, query.replacingOccurrences(of: "HINT", with: "/*+ SHUFFLE_HASH(o) */"))
        #expect(hinted.rows == ["421|87338605.93"])
        let hintedJoin = try #require(hinted.execution.physical.treeString().split(separator: "\n").first { $0.contains("ShuffledHashJoinExec") })
        #expect(hintedJoin.contains("BuildSide.left") && !hintedJoin.contains("measured"), "\(hintedJoin)")
    }

    /// The initial partitions of a small aggregate (16 for the 2 threads of the test session,
    /// or spark.sql.adaptive.coalescePartitions.initialPartitionNum) are coalesced; an explicit
    /// spark.sql.shuffle.partitions is the starting count instead.
    /// select l_returnflag, count(*) from l group by 1 order by 1 → A 4876, N 10366, R 4818
    @Test func smallPartitionsAreCoalesced() throws {
        let query = "SELECT l_returnflag, count(*) FROM l GROUP BY 1 ORDER BY 1"
        let cases: [([(String, String)], Int)] = [([], 16), ([("spark.sql.adaptive.coalescePartitions.initialPartitionNum", "200")], 200),
                                                  ([("spark.sql.shuffle.partitions", "7")], 7)]
        for (settings, from) in cases {
            let result = try run(try session(settings), query)
            #expect(result.rows == ["'A'|4876", "'N'|10366", "'R'|4818"])
            #expect(decisions(result.execution).map(\.message) == ["coalesced \(from) → 1 partition"])
        }
    }
}
