import Foundation

/// `sparrow bench pruning --html`: the report as one HTML page with its CSS and an SVG bar chart
/// inline, so that it opens anywhere without a network.
struct PruningHTMLReport {
    let report: PruningReport

    static let colors: [PruningVariant: String] = [.pruned: "#2a9d8f", .unpruned: "#e76f51", .singleFile: "#8d99ae"]

    func html() -> String {
        let title = "Sparrow partition pruning benchmark"
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(title)</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; padding: 0 1rem; }
        h1 { font-size: 1.4rem; }
        h2 { font-size: 1.1rem; margin-top: 2rem; }
        table { border-collapse: collapse; font-size: 0.9rem; }
        th, td { padding: 0.25rem 0.7rem; border-bottom: 1px solid #ddd; text-align: left; white-space: nowrap; }
        th { background: #f3f3f3; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        tr.first td { border-top: 2px solid #bbb; }
        code { font-size: 0.85rem; }
        p.note { font-size: 0.85rem; color: #555; }
        svg text { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 12px; fill: #222; }
        </style>
        </head>
        <body>
        <h1>\(title)</h1>
        <p><code>sales</code>: \(escape(report.dataDescription)).</p>
        <h2>Query time with and without pruning</h2>
        \(chart())
        <p class="note">\(escape(report.variantsLegend))</p>
        <h2>What each scan read</h2>
        \(table())
        <h2>Queries</h2>
        <p><code>\(escape(PruningQuery.select)) WHERE <i>condition</i></code></p>
        \(queries())
        <p class="note">Every run of every variant gave the same answer, with the count the generated data implies.</p>
        </body>
        </html>

        """
    }

    /// Horizontal bars, one group per query, one bar per variant, on a common linear scale.
    func chart() -> String {
        let variants = PruningVariant.allCases
        let labelWidth = 170.0, barArea = 560.0, valueWidth = 90.0
        let barHeight = 16.0, barGap = 3.0, groupGap = 18.0, legendHeight = 28.0
        let groupHeight = Double(variants.count) * (barHeight + barGap) - barGap
        let longest = report.results.flatMap { result in variants.map { result.median($0) } }.max() ?? 0
        let scale = longest > 0 ? barArea / longest : 0
        let width = labelWidth + barArea + valueWidth
        let height = legendHeight + Double(report.results.count) * (groupHeight + groupGap)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"query time per variant\">\n"
        var x = labelWidth
        for variant in variants {
            svg += "<rect x=\"\(x)\" y=\"4\" width=\"12\" height=\"12\" fill=\"\(Self.colors[variant]!)\"/>"
                + "<text x=\"\(x + 16)\" y=\"14\">\(escape(variant.label))</text>\n"
            x += 120
        }
        var y = legendHeight
        for result in report.results {
            svg += "<text x=\"0\" y=\"\(format(y + groupHeight / 2 + 4))\">\(escape(result.query.name))</text>\n"
            for variant in variants {
                let seconds = result.median(variant)
                let barWidth = max(1, seconds * scale)
                svg += "<rect x=\"\(labelWidth)\" y=\"\(format(y))\" width=\"\(format(barWidth))\" height=\"\(barHeight)\" "
                    + "fill=\"\(Self.colors[variant]!)\"><title>\(escape(result.query.name)), \(escape(variant.label)): "
                    + "\(BenchText.seconds(seconds))</title></rect>"
                    + "<text x=\"\(format(labelWidth + barWidth + 5))\" y=\"\(format(y + barHeight - 4))\">"
                    + "\(BenchText.seconds(seconds))</text>\n"
                y += barHeight + barGap
            }
            y += groupGap - barGap
        }
        return svg + "</svg>"
    }

    func table() -> String {
        var html = "<table>\n<tr>" + PruningReport.headers.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for row in report.tableRows {
            html += row[0].isEmpty ? "<tr>" : "<tr class=\"first\">"
            for (index, cell) in row.enumerated() {
                html += index >= 2 ? "<td class=\"number\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>"
    }

    func queries() -> String {
        var html = "<table>\n<tr><th>query</th><th>condition</th><th>answer</th></tr>\n"
        for row in report.queryRows {
            html += "<tr><td>\(escape(row[0]))</td><td><code>\(escape(row[1]))</code></td><td>\(escape(row[2]))</td></tr>\n"
        }
        return html + "</table>"
    }

    func format(_ value: Double) -> String { String(format: "%.1f", value) }

    func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
