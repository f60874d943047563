/// A plain aligned text table (`inspect`'s text output, `bench`'s reports): a header, a rule, and
/// the rows, columns two spaces apart; trailing spaces are cut.
struct TextTable {
    let headers: [String]
    let rows: [[String]]
    /// Columns whose cells (and header) are right-aligned, as numbers read best.
    var rightAligned: Set<Int> = []

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, width) in widths.enumerated() {
                let cell = i < cells.count ? cells[i] : ""
                let padding = String(repeating: " ", count: width - cell.count)
                parts.append(rightAligned.contains(i) ? padding + cell : cell + padding)
            }
            return "  " + parts.joined(separator: "  ").replacing(/\s+$/, with: "") + "\n"
        }
        return line(headers) + line(widths.map { String(repeating: "─", count: $0) }) + rows.map(line).joined()
    }
}
