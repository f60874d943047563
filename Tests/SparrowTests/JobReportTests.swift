import Foundation
import Testing
@testable import Execution
@testable import Sparrow

/// The job report's HTML, built from hand-made reports (no query runs, no browser): escaping, the
/// sections, one drawn element per stage, edge, task and partition, and the embedded JSON.
/// tools/report/check_report.py checks the same page rendered by Chromium.
struct JobReportTests {
    static func stage(_ id: Int, kind: QueryReport.Stage.Kind = .shuffleMap, inputs: [Int] = [], seconds: [Double] = [0.01, 0.02],
                      rows: [Int]? = nil) -> QueryReport.Stage {
        QueryReport.Stage(id: id, kind: kind, operators: ["ShuffleExchangeExec", "HashAggregateExec"], inputStageIDs: inputs,
                          taskSeconds: seconds, taskRows: rows ?? seconds.map { _ in 10 }, wallSeconds: 0.05,
                          outputRows: (rows ?? seconds.map { _ in 10 }).reduce(0, +))
    }

    static let hostileQuery = "SELECT '</script><script>alert(1)</script>' AS x, a < b & c > d, \"q\" FROM t WHERE s = 'it''s'"

    /// A join-shaped query: two scan stages feed a join stage, which feeds the result.
    static func joinQuery(decisions: [AdaptiveDecision] = []) -> QueryReport {
        var probe = stage(1, seconds: [0.010, 0.012, 0.011, 0.300, 0.009])
        probe.shufflePartitionBytes = [1000, 1200, 90_000, 1100]
        probe.shufflePartitionRows = [10, 12, 900, 11]
        probe.shuffleWriteBytes = 93_300
        probe.spillBytes = 4 << 20
        probe.spillFiles = 3
        return QueryReport(
            query: hostileQuery, seconds: 1.5, executorThreads: 4, resultRows: 42,
            plan: [QueryReport.PlanLine(prefix: "", name: "SortExec", detail: "[x < 3 & y]", metrics: "(rows=42)", stageID: 3),
                   QueryReport.PlanLine(prefix: "+- ", name: "ShuffleExchangeExec", detail: "SinglePartition", metrics: "(rows=42)", stageID: 2)],
            stages: [stage(0), probe, stage(2, inputs: [0, 1], seconds: [0.01, 0.01, 0.01, 0.01]),
                     stage(3, kind: .result, inputs: [2], seconds: [0.001])],
            adaptiveDecisions: decisions)
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func textIsEscapedEverywhere() {
        let error = "unknown column '<b>' & more"
        var failed = Self.joinQuery()
        failed.error = error
        let html = JobReport(command: "sparrow sql 'a<b'", queries: [failed]).html()
        // The page's own two script elements are the only ones.
        #expect(count("<script", in: html) == 2)
        #expect(count("</script>", in: html) == 2)
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("a &lt; b &amp; c &gt; d, &quot;q&quot;"))
        #expect(html.contains("it&#39;&#39;s"))
        #expect(html.contains("unknown column &#39;&lt;b&gt;&#39; &amp; more"))
        #expect(html.contains("<code>sparrow sql &#39;a&lt;b&#39;</code>"))
        #expect(html.contains("<span class=\"detail\">[x &lt; 3 &amp; y]</span>"))
    }

    @Test func embeddedJSONDecodesToTheReport() throws {
        let report = JobReport(command: "sparrow sql -f q.sql", queries: [
            Self.joinQuery(decisions: [AdaptiveDecision(stageID: 1, kind: .skewSplit, message: "split skewed partition 2 into 4")]),
        ])
        let html = report.html()
        let open = "<script type=\"application/json\" id=\"sparrow-report-data\">"
        let start = try #require(html.range(of: open)).upperBound
        let end = try #require(html[start...].range(of: "</script>")).lowerBound
        let json = String(html[start..<end])
        #expect(!json.contains("<") && !json.contains(">") && !json.contains("&"))
        let decoded = try JSONDecoder().decode(JobReport.self, from: Data(json.utf8))
        #expect(decoded == report)
    }

    @Test func drawsANodePerStageAnEdgePerInputAndABarPerTask() {
        let query = Self.joinQuery()
        let html = JobReport(command: "sparrow sql", queries: [query]).html()
        #expect(count("<g class=\"stage-node ", in: html) == 4)
        #expect(count("<path class=\"edge\"", in: html) == 3)
        for edge in [(0, 2), (1, 2), (2, 3)] {
            #expect(html.contains("<path class=\"edge\" data-from=\"\(edge.0)\" data-to=\"\(edge.1)\""))
        }
        #expect(count("class=\"task-bar", in: html) == query.stages.reduce(0) { $0 + $1.tasks })
        #expect(count("<section class=\"stage-detail ", in: html) == 4)
        #expect(html.contains("<g class=\"stage-node kind-result\" data-stage=\"3\""))
        #expect(html.contains("<body data-rendered=\"pending\">"))
    }

    @Test func theStragglerAndTheSkewedPartitionStandOut() {
        let html = JobReport(command: "sparrow sql", queries: [Self.joinQuery()]).html()
        // Stage 1's task 3 (300 ms against a median of 11 ms) is the one straggler of the query.
        #expect(count("task-bar straggler", in: html) == 1)
        #expect(html.contains("<rect class=\"task-bar straggler\" data-index=\"3\""))
        #expect(html.contains("1 straggler"))
        #expect(count("class=\"partition-bar", in: html) == 4)
        #expect(html.contains("<rect class=\"partition-bar skewed\" data-index=\"2\""))
        #expect(html.contains("Spill: 4.0 MiB in 3 files"))
        #expect(html.contains("Shuffle write: 50 rows, 91.1 KiB"))
    }

    @Test func measuresThatAreMissingAreLeftOut() {
        let query = QueryReport(query: "SELECT 1", seconds: 0.1, executorThreads: 2, resultRows: 1, plan: [],
                                stages: [Self.stage(0, kind: .result, seconds: [0.01])], adaptiveDecisions: [])
        let html = JobReport(command: "sparrow sql", queries: [query]).html()
        #expect(!html.contains("class=\"partition-bar"))
        #expect(!html.contains("Spill:"))
        #expect(!html.contains("Shuffle write:"))
        #expect(!html.contains("task-bar straggler"))
    }

    @Test func everyQueryHasItsSectionsAndAdaptiveExecutionSaysNone() {
        let second = QueryReport(query: "SELECT 2", seconds: 0.2, executorThreads: 2, resultRows: nil, error: "boom", plan: [],
                                 stages: [], adaptiveDecisions: [])
        let html = JobReport(command: "sparrow sql -f two.sql", queries: [Self.joinQuery(), second]).html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(count("<section class=\"query\"", in: html) == 2)
        #expect(html.contains("<section class=\"query\" id=\"q1\" data-query=\"1\">"))
        #expect(html.contains("<section class=\"query\" id=\"q2\" data-query=\"2\">"))
        #expect(count("<section class=\"aqe\">\n<h3>Adaptive execution</h3>\n<p class=\"none\">none</p>", in: html) == 2)
        for heading in ["<h3>Stages</h3>", "<h3>Physical plan</h3>"] { #expect(count(heading, in: html) == 2) }
        #expect(count("<h3>Stage details</h3>", in: html) == 1)
        #expect(html.contains("<nav class=\"index\">"))
        #expect(html.contains("<strong>Failed:</strong> boom"))
        #expect(html.contains("1 failed"))
        // Arrow markers are per query, so two SVGs in one page do not share an id.
        #expect(html.contains("id=\"q1-arrow\""))
        // Self-contained: nothing is loaded from elsewhere.
        #expect(!html.contains("<link") && !html.contains("src=") && !html.contains("url(http") && !html.contains("@import"))
    }

    @Test func emptyReport() {
        let html = JobReport(command: "sparrow sql 'SET a=b'").html()
        #expect(html.contains("No query ran."))
        #expect(html.contains("\"queries\":[]"))
    }

    /// Spark's UI quantiles: the value at index min(⌊q·n⌋, n − 1) of the sorted values.
    @Test func quantilesPickSparksIndices() {
        #expect(QueryReport.Stage.quantiles([5, 1, 4, 2, 3]) == [1, 2, 3, 4, 5])
        #expect(QueryReport.Stage.quantiles([4, 3, 2, 1]) == [1, 2, 3, 4, 4])
        #expect(QueryReport.Stage.quantiles([7]) == [7, 7, 7, 7, 7])
        #expect(QueryReport.Stage.quantiles([Int]()) == nil)
    }

    @Test func layoutPlacesEveryStageRightOfWhatItReads() throws {
        let stages = Self.joinQuery().stages
        let layout = StageGraphLayout(stages: stages, boxWidth: 200) { _ in 60 }
        #expect(layout.edges.count == 3)
        for edge in layout.edges {
            let from = try #require(layout.boxes[edge.from]), to = try #require(layout.boxes[edge.to])
            #expect(from.x + from.width < to.x)
        }
        // Stages 0 and 1 share the first column without overlapping.
        let a = try #require(layout.boxes[0]), b = try #require(layout.boxes[1])
        #expect(a.x == b.x && (a.y + a.height <= b.y || b.y + b.height <= a.y))
        for box in layout.boxes.values {
            #expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= layout.width && box.y + box.height <= layout.height)
        }
    }

    /// A broadcast join's small side (stage 2) is read two columns right of where a scan would
    /// start; it is drawn in the column just left of its reader instead.
    @Test func aSourceSitsNextToItsReader() throws {
        let stages = [Self.stage(0), Self.stage(1, kind: .broadcast, inputs: [0]), Self.stage(2, kind: .broadcast),
                      Self.stage(3, inputs: [1, 2]), Self.stage(4, kind: .result, inputs: [3])]
        let layout = StageGraphLayout(stages: stages, boxWidth: 200) { _ in 60 }
        let boxes = try (0...4).map { try #require(layout.boxes[$0]) }
        #expect(boxes[2].x == boxes[1].x)
        #expect(boxes[0].x < boxes[1].x && boxes[1].x < boxes[3].x && boxes[3].x < boxes[4].x)
        // The stage with an input placed is above the one without.
        #expect(boxes[1].y < boxes[2].y)
    }

    @Test func edgesToStagesNotInTheReportAreLeftOut() {
        let stages = [Self.stage(5, kind: .result, inputs: [4], seconds: [0.01])]
        let layout = StageGraphLayout(stages: stages, boxWidth: 200) { _ in 60 }
        #expect(layout.edges.isEmpty)
        #expect(layout.boxes[5] != nil)
    }
}
