import Execution
import Foundation

/// Renders a `JobReport` as one HTML page: per query the text, the totals, the stage DAG (SVG), a
/// stage table, the physical plan with metrics, per stage the task-duration distribution with a
/// bar per task, shuffle and spill figures where measured, and the adaptive decisions.
///
/// Everything is drawn here, so the page reads the same without script; the inline script only
/// adds highlighting and checks the drawing against the embedded JSON (see `JobReport.html()`).
/// Class names and `data-*` attributes are what tools/report/check_report.py asserts on:
/// `section.query[data-query]`, `.stage-node[data-stage]`, `.edge[data-from][data-to]`,
/// `.stage-detail[data-stage] .task-bar`, `section.aqe`.
struct JobReportPage {
    let report: JobReport

    static let boxWidth = 230
    static let boxLineHeight = 15
    /// Characters of an operator name that fit in a DAG box.
    static let boxTextLimit = 29

    func render() -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sparrow job report</title>
        <style>\(Self.style)</style>
        </head>
        <body data-rendered="pending">
        <header class="page">
        <h1>Sparrow job report</h1>
        <p class="command"><code>\(ReportText.escape(report.command))</code></p>
        <p class="totals">\(summaryLine())</p>
        </header>

        """
        out += index()
        for (i, query) in report.queries.enumerated() { out += section(query, number: i + 1) }
        if report.queries.isEmpty { out += "<p class=\"empty\">No query ran.</p>\n" }
        out += "<script type=\"application/json\" id=\"sparrow-report-data\">\(embeddedJSON())</script>\n"
        out += "<script>\(Self.script)</script>\n</body>\n</html>\n"
        return out
    }

    func summaryLine() -> String {
        let count = report.queries.count
        let seconds = report.queries.reduce(0) { $0 + $1.seconds }
        let failed = report.queries.filter { $0.error != nil }.count
        var text = "\(count) quer\(count == 1 ? "y" : "ies") · \(ReportText.duration(seconds)) in all"
        if failed > 0 { text += " · <span class=\"failed\">\(failed) failed</span>" }
        return text
    }

    func embeddedJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding fails only for non-finite numbers, which no timer gives; the script then
        // reports the missing data instead of the page claiming to be checked.
        guard let data = try? encoder.encode(report) else { return "null" }
        return ReportText.scriptSafeJSON(String(decoding: data, as: UTF8.self))
    }

    /// A table of the queries, when there is more than one.
    func index() -> String {
        guard report.queries.count > 1 else { return "" }
        var out = "<nav class=\"index\"><table>\n<thead><tr><th>#</th><th>Query</th><th>Time</th><th>Stages</th><th>Tasks</th><th>Status</th></tr></thead><tbody>\n"
        for (i, query) in report.queries.enumerated() {
            let firstLine = query.query.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
            let status = query.error == nil ? "<span class=\"ok\">done</span>" : "<span class=\"failed\">failed</span>"
            out += "<tr><td><a href=\"#q\(i + 1)\">\(i + 1)</a></td><td><code>\(ReportText.escape(ReportText.truncated(firstLine, 110)))</code></td>"
            out += "<td class=\"num\">\(ReportText.duration(query.seconds))</td><td class=\"num\">\(query.stages.count)</td>"
            out += "<td class=\"num\">\(ReportText.count(query.stages.reduce(0) { $0 + $1.tasks }))</td><td>\(status)</td></tr>\n"
        }
        return out + "</tbody></table></nav>\n"
    }

    // MARK: One query

    func section(_ query: QueryReport, number: Int) -> String {
        let anchor = "q\(number)"
        var out = "<section class=\"query\" id=\"\(anchor)\" data-query=\"\(number)\">\n"
        out += "<h2>Query \(number) <span class=\"time\">\(ReportText.duration(query.seconds))</span></h2>\n"
        out += "<pre class=\"query-text\">\(ReportText.escape(query.query))</pre>\n"
        if let error = query.error { out += "<div class=\"error\"><strong>Failed:</strong> \(ReportText.escape(error))</div>\n" }
        out += facts(query)
        out += "<h3>Stages</h3>\n"
        out += dag(query, anchor: anchor)
        out += stageTable(query, anchor: anchor)
        out += "<h3>Physical plan</h3>\n" + plan(query)
        if !query.stages.isEmpty {
            out += "<h3>Stage details</h3>\n"
            for stage in query.stages { out += stageDetail(stage, anchor: anchor) }
        }
        out += adaptiveExecution(query, anchor: anchor)
        return out + "</section>\n"
    }

    func facts(_ query: QueryReport) -> String {
        var items: [(String, String)] = [("Total time", ReportText.duration(query.seconds)),
                                         ("Stages", "\(query.stages.count)"),
                                         ("Tasks", ReportText.count(query.stages.reduce(0) { $0 + $1.tasks }))]
        if let rows = query.resultRows { items.append(("Result rows", ReportText.count(rows))) }
        if query.executorThreads > 0 { items.append(("Executor threads", "\(query.executorThreads)")) }
        let read = query.stages.reduce(0) { $0 + $1.bytesRead }
        if read > 0 { items.append(("Bytes read", ReportText.bytes(read))) }
        let spills = query.stages.compactMap(\.spillBytes)
        if !spills.isEmpty { items.append(("Spill", ReportText.bytes(spills.reduce(0, +)))) }
        return "<dl class=\"facts\">" + items.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" }.joined() + "</dl>\n"
    }

    // MARK: DAG

    func boxHeight(_ stage: QueryReport.Stage) -> Int {
        // Title, operators, then two lines of figures.
        22 + (stage.operators.count + 2) * Self.boxLineHeight + 8
    }

    func dag(_ query: QueryReport, anchor: String) -> String {
        guard !query.stages.isEmpty else { return "<p class=\"none\">No stage ran.</p>\n" }
        let layout = StageGraphLayout(stages: query.stages, boxWidth: Self.boxWidth, boxHeight: boxHeight)
        let marker = "\(anchor)-arrow"
        var out = "<div class=\"dag-frame\"><svg class=\"dag\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(layout.width) \(layout.height)\" "
        out += "width=\"\(layout.width)\" height=\"\(layout.height)\" role=\"img\" aria-label=\"Stages of query \(anchor.dropFirst()) as a graph\">\n"
        out += "<defs><marker id=\"\(marker)\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
        out += "<path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"arrow-head\"/></marker></defs>\n"
        for edge in layout.edges {
            guard let from = layout.boxes[edge.from], let to = layout.boxes[edge.to] else { continue }
            let x1 = from.x + from.width, y1 = from.midY, x2 = to.x - 2, y2 = to.midY
            let bend = (x2 - x1) / 2
            out += "<path class=\"edge\" data-from=\"\(edge.from)\" data-to=\"\(edge.to)\" d=\"M \(x1) \(y1) C \(x1 + bend) \(y1), \(x2 - bend) \(y2), \(x2) \(y2)\" marker-end=\"url(#\(marker))\"/>\n"
        }
        for stage in query.stages {
            guard let box = layout.boxes[stage.id] else { continue }
            out += "<a href=\"#\(anchor)-stage-\(stage.id)\"><g class=\"stage-node kind-\(stage.kind.rawValue)\" data-stage=\"\(stage.id)\" transform=\"translate(\(box.x),\(box.y))\">"
            out += "<title>Stage \(stage.id) (\(stage.kind.title)): \(ReportText.escape(stage.operators.joined(separator: " ← ")))</title>"
            out += "<rect width=\"\(box.width)\" height=\"\(box.height)\" rx=\"7\"/>"
            out += "<text x=\"10\" y=\"18\" class=\"node-title\">Stage \(stage.id)</text>"
            out += "<text x=\"\(box.width - 10)\" y=\"18\" class=\"node-kind\" text-anchor=\"end\">\(stage.kind.title)</text>"
            var y = 22 + Self.boxLineHeight
            for name in stage.operators {
                out += "<text x=\"10\" y=\"\(y)\" class=\"node-op\">\(ReportText.escape(ReportText.truncated(name, Self.boxTextLimit)))</text>"
                y += Self.boxLineHeight
            }
            let tasks = "\(ReportText.count(stage.tasks)) task\(stage.tasks == 1 ? "" : "s") · \(ReportText.count(stage.outputRows)) rows"
            out += "<text x=\"10\" y=\"\(y)\" class=\"node-figures\">\(tasks)</text>"
            y += Self.boxLineHeight
            var time = ReportText.duration(stage.wallSeconds)
            if stage.bytesRead > 0 { time += " · read \(ReportText.bytes(stage.bytesRead))" }
            if let written = stage.shuffleWriteBytes { time += " · wrote \(ReportText.bytes(written))" }
            out += "<text x=\"10\" y=\"\(y)\" class=\"node-figures\">\(time)</text>"
            out += "</g></a>\n"
        }
        out += "</svg></div>\n"
        out += "<p class=\"legend\">" + QueryReport.Stage.Kind.allCases.map {
            "<span class=\"swatch kind-\($0.rawValue)\"></span>\($0.title)"
        }.joined(separator: " ") + " <span class=\"hint\">Arrows point from the stage that wrote an exchange to the stage that reads it.</span></p>\n"
        return out
    }

    func stageTable(_ query: QueryReport, anchor: String) -> String {
        guard !query.stages.isEmpty else { return "" }
        var out = "<table class=\"stages\"><thead><tr><th>Stage</th><th>Kind</th><th>Reads</th><th>Operators</th><th>Tasks</th>"
        out += "<th>Duration</th><th>Median task</th><th>Slowest task</th><th>Output rows</th><th>Read</th><th>Shuffle write</th><th>Spill</th></tr></thead><tbody>\n"
        for stage in query.stages {
            let quantiles = QueryReport.Stage.quantiles(stage.taskSeconds)
            let reads = stage.inputStageIDs.isEmpty ? "–" : stage.inputStageIDs.map {
                "<a href=\"#\(anchor)-stage-\($0)\">\($0)</a>"
            }.joined(separator: ", ")
            out += "<tr class=\"stage-row kind-\(stage.kind.rawValue)\" data-stage=\"\(stage.id)\">"
            out += "<td><a href=\"#\(anchor)-stage-\(stage.id)\">\(stage.id)</a></td><td class=\"kind\"><span class=\"swatch kind-\(stage.kind.rawValue)\"></span>\(stage.kind.title)</td>"
            out += "<td>\(reads)</td><td class=\"ops\">\(ReportText.escape(stage.operators.joined(separator: " ← ")))</td>"
            out += "<td class=\"num\">\(ReportText.count(stage.tasks))</td><td class=\"num\">\(ReportText.duration(stage.wallSeconds))</td>"
            out += "<td class=\"num\">\(quantiles.map { ReportText.duration($0[2]) } ?? "–")</td>"
            out += "<td class=\"num\">\(quantiles.map { ReportText.duration($0[4]) } ?? "–")</td>"
            out += "<td class=\"num\">\(ReportText.count(stage.outputRows))</td>"
            out += "<td class=\"num\">\(stage.bytesRead > 0 ? ReportText.bytes(stage.bytesRead) : "–")</td>"
            out += "<td class=\"num\">\(shuffleWriteCell(stage))</td>"
            out += "<td class=\"num\">\(stage.spillBytes.map(ReportText.bytes) ?? "–")</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    func shuffleWriteCell(_ stage: QueryReport.Stage) -> String {
        guard stage.kind != .result else { return "–" }
        let rows = "\(ReportText.count(stage.outputRows)) rows"
        return stage.shuffleWriteBytes.map { "\(ReportText.bytes($0)) · \(rows)" } ?? rows
    }

    // MARK: Plan

    func plan(_ query: QueryReport) -> String {
        guard !query.plan.isEmpty else { return "<p class=\"none\">No physical plan (the query failed before planning).</p>\n" }
        let kinds = Dictionary(query.stages.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
        var out = "<div class=\"plan\">\n"
        for line in query.plan {
            let kind = line.stageID.flatMap { kinds[$0] }.map { " kind-\($0.rawValue)" } ?? ""
            let stageAttribute = line.stageID.map { " data-stage=\"\($0)\"" } ?? ""
            let tag = line.stageID.map { "<span class=\"stage-tag\" title=\"stage \($0)\">\($0)</span>" } ?? "<span class=\"stage-tag\">·</span>"
            out += "<div class=\"plan-line\(kind)\"\(stageAttribute)>\(tag)<span class=\"tree\">\(ReportText.escape(line.prefix))</span>"
            out += "<span class=\"op\">\(ReportText.escape(line.name))</span>"
            if !line.detail.isEmpty { out += " <span class=\"detail\">\(ReportText.escape(line.detail))</span>" }
            out += "  <span class=\"metrics\">\(ReportText.escape(line.metrics))</span></div>\n"
        }
        return out + "</div>\n"
    }

    // MARK: Stage details

    func stageDetail(_ stage: QueryReport.Stage, anchor: String) -> String {
        var out = "<section class=\"stage-detail kind-\(stage.kind.rawValue)\" id=\"\(anchor)-stage-\(stage.id)\" data-stage=\"\(stage.id)\">\n"
        out += "<h4><span class=\"badge kind-\(stage.kind.rawValue)\">Stage \(stage.id)</span> \(stage.kind.title)"
        if !stage.inputStageIDs.isEmpty {
            out += " · reads stage\(stage.inputStageIDs.count == 1 ? "" : "s") " + stage.inputStageIDs.map {
                "<a href=\"#\(anchor)-stage-\($0)\">\($0)</a>"
            }.joined(separator: ", ")
        }
        out += " · \(ReportText.count(stage.tasks)) task\(stage.tasks == 1 ? "" : "s") · \(ReportText.duration(stage.wallSeconds))</h4>\n"
        out += "<p class=\"ops\">\(ReportText.escape(stage.operators.joined(separator: " ← ")))</p>\n"
        var figures: [String] = ["output rows \(ReportText.count(stage.outputRows))"]
        if stage.filesTotal > 0 { figures.append("files \(ReportText.count(stage.filesScanned)) of \(ReportText.count(stage.filesTotal))") }
        if stage.rowGroupsTotal > 0 { figures.append("row groups \(ReportText.count(stage.rowGroupsScanned)) of \(ReportText.count(stage.rowGroupsTotal))") }
        if stage.bytesRead > 0 { figures.append("read \(ReportText.bytes(stage.bytesRead))") }
        out += "<p class=\"figures\">\(figures.joined(separator: " · "))</p>\n"
        out += distribution(stage)
        out += taskBars(stage)
        if stage.kind != .result { out += shuffleWrite(stage) }
        if let spill = stage.spillBytes {
            let files = stage.spillFiles.map { " in \($0) file\($0 == 1 ? "" : "s")" } ?? ""
            out += "<p class=\"spill\">Spill: \(ReportText.bytes(spill))\(files)</p>\n"
        }
        return out + "</section>\n"
    }

    func distribution(_ stage: QueryReport.Stage) -> String {
        guard let seconds = QueryReport.Stage.quantiles(stage.taskSeconds) else { return "<p class=\"none\">No task ran.</p>\n" }
        var out = "<table class=\"distribution\"><thead><tr><th>Per task</th><th>Min</th><th>25th percentile</th><th>Median</th><th>75th percentile</th><th>Max</th></tr></thead><tbody>\n"
        out += "<tr><td>Duration</td>" + seconds.map { "<td class=\"num\">\(ReportText.duration($0))</td>" }.joined() + "</tr>\n"
        if let rows = QueryReport.Stage.quantiles(stage.taskRows) {
            out += "<tr><td>Output rows</td>" + rows.map { "<td class=\"num\">\(ReportText.count($0))</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// One bar per task, as tall as its duration; stragglers in red, the median as a dashed line.
    func taskBars(_ stage: QueryReport.Stage) -> String {
        guard let quantiles = QueryReport.Stage.quantiles(stage.taskSeconds) else { return "" }
        let stragglers = stage.stragglers
        let slowest = stage.tasks > 1 ? stage.taskSeconds.indices.max { stage.taskSeconds[$0] < stage.taskSeconds[$1] } : nil
        let values = stage.taskSeconds
        let labels = values.indices.map { i in
            let rows = i < stage.taskRows.count ? ", \(ReportText.count(stage.taskRows[i])) rows" : ""
            return "task \(i): \(ReportText.duration(values[i]))\(rows)"
        }
        var out = "<div class=\"bars\"><p class=\"bars-caption\">Task durations, one bar per task in partition order: max \(ReportText.duration(quantiles[4])), median \(ReportText.duration(quantiles[2]))"
        if let slowest { out += ", slowest task \(slowest)" }
        if !stragglers.isEmpty { out += " · <span class=\"straggler-note\">\(stragglers.count) straggler\(stragglers.count == 1 ? "" : "s") (≥ 2 × median)</span>" }
        out += "</p>\n"
        out += bars(values: values, maximum: quantiles[4], median: quantiles[2], barClass: "task-bar", labels: labels) { i in
            stragglers.contains(i) ? " straggler" : i == slowest ? " slowest" : ""
        }
        return out + "</div>\n"
    }

    func shuffleWrite(_ stage: QueryReport.Stage) -> String {
        var text = "Shuffle write: \(ReportText.count(stage.outputRows)) rows"
        if let bytes = stage.shuffleWriteBytes { text += ", \(ReportText.bytes(bytes))" }
        var out = "<div class=\"shuffle\"><p>\(text)</p>\n"
        let partitionBytes = stage.shufflePartitionBytes
        let partitionRows = stage.shufflePartitionRows
        if let values = partitionBytes ?? partitionRows, !values.isEmpty {
            let unit = partitionBytes != nil ? "bytes" : "rows"
            let doubles = values.map(Double.init)
            let sorted = doubles.sorted()
            let labels = values.indices.map { i in
                var label = "partition \(i): "
                if let partitionBytes, i < partitionBytes.count { label += ReportText.bytes(partitionBytes[i]) }
                if let partitionRows, i < partitionRows.count {
                    label += (partitionBytes == nil ? "" : ", ") + "\(ReportText.count(partitionRows[i])) rows"
                }
                return label
            }
            let median = sorted[sorted.count / 2]
            let maximum = sorted.last!
            let largest = unit == "bytes" ? ReportText.bytes(Int(maximum)) : ReportText.count(Int(maximum))
            out += "<p class=\"bars-caption\">Written per reduce partition (\(unit)): \(values.count) partitions, largest \(largest)</p>\n"
            out += bars(values: doubles, maximum: maximum, median: median, barClass: "partition-bar", labels: labels) { i in
                doubles[i] >= 2 * median && doubles[i] > 0 && values.count > 1 ? " skewed" : ""
            }
        }
        return out + "</div>\n"
    }

    /// A bar chart as SVG: `values[i]` scaled to `maximum`; zero values keep a 1-pixel bar so
    /// every task can be seen and counted.
    func bars(values: [Double], maximum: Double, median: Double, barClass: String, labels: [String],
              extraClass: (Int) -> String) -> String {
        let chartHeight = 72
        let barWidth = values.count <= 40 ? 14 : values.count <= 150 ? 5 : 2
        let gap = values.count <= 150 ? 2 : 1
        let width = max(1, values.count * (barWidth + gap))
        let scale = maximum > 0 ? Double(chartHeight - 2) / maximum : 0
        var out = "<svg class=\"bar-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(chartHeight)\" width=\"\(min(width, 1100))\" height=\"\(chartHeight)\" preserveAspectRatio=\"none\">"
        for (i, value) in values.enumerated() {
            let height = max(1, Int((value * scale).rounded()))
            out += "<rect class=\"\(barClass)\(extraClass(i))\" data-index=\"\(i)\" x=\"\(i * (barWidth + gap))\" y=\"\(chartHeight - height)\" width=\"\(barWidth)\" height=\"\(height)\">"
            out += "<title>\(ReportText.escape(labels[i]))</title></rect>"
        }
        if values.count > 1 && maximum > 0 {
            let y = chartHeight - Int((median * scale).rounded())
            out += "<line class=\"median\" x1=\"0\" x2=\"\(width)\" y1=\"\(y)\" y2=\"\(y)\"/>"
        }
        return out + "</svg>\n"
    }

    // MARK: Adaptive execution

    func adaptiveExecution(_ query: QueryReport, anchor: String) -> String {
        var out = "<section class=\"aqe\">\n<h3>Adaptive execution</h3>\n"
        guard !query.adaptiveDecisions.isEmpty else { return out + "<p class=\"none\">none</p>\n</section>\n" }
        out += "<ul class=\"decisions\">\n"
        for decision in query.adaptiveDecisions {
            out += "<li class=\"decision\" data-stage=\"\(decision.stageID)\"><a class=\"badge\" href=\"#\(anchor)-stage-\(decision.stageID)\">Stage \(decision.stageID)</a> "
            out += "<span class=\"decision-kind\">\(decision.kind.rawValue)</span> \(ReportText.escape(decision.message))</li>\n"
        }
        return out + "</ul>\n</section>\n"
    }
}
