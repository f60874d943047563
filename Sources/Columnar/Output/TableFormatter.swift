/// A boxed, aligned table for people (`--format table`), drawn like DuckDB's:
///
///     ┌───────┬────────┐
///     │   a   │   b    │
///     │ int64 │ string │
///     ├───────┼────────┤
///     │     1 │ x      │
///     │  NULL │ NULL   │
///     └───────┴────────┘
///     2 rows
///
/// Column names and types are centred; numbers (integers, floats, decimals) are right-aligned,
/// everything else left-aligned. Null shows as `NULL`; text has control characters escaped and
/// invalid UTF-8 replaced; lists, structs and maps show as JSON. Widths count terminal columns
/// (CJK and other wide characters take 2), and a cell wider than `maxCellWidth` is cut and ends
/// with `…`.
///
/// Only the first `maxRows` rows are shown. They are buffered, already rendered and cut to width,
/// because the column widths depend on all of them, and the table is written by `finish`; later
/// rows are only counted. The footer gives the total (`N rows`) and, when rows were left out,
/// `(showing first M)`.
public struct TableFormatter: RecordBatchFormatter {
    public let maxRows: Int
    public let maxCellWidth: Int
    private var renderers: [ColumnRenderer] = []
    private var columns: [TableColumn] = []
    private var rowCount = 0
    private var shownRowCount = 0

    public init(maxRows: Int = 100, maxCellWidth: Int = 40) {
        precondition(maxRows >= 0 && maxCellWidth >= 1, "invalid table limits")
        self.maxRows = maxRows
        self.maxCellWidth = maxCellWidth
    }

    public mutating func begin(schema: Schema, to output: inout BufferBuilder) {
        renderers = schema.fields.map { ColumnRenderer(type: $0.type, style: .display) }
        columns = schema.fields.map { field in
            TableColumn(name: Self.displayText(field.name), type: Self.displayText(field.type.description),
                        alignsRight: Self.isNumeric(field.type), maxWidth: maxCellWidth)
        }
        rowCount = 0
        shownRowCount = 0
    }

    public mutating func write(_ batch: RecordBatch, to output: inout BufferBuilder) {
        precondition(batch.columns.count == renderers.count,
                     "batch has \(batch.columns.count) columns, the schema \(renderers.count)")
        rowCount += batch.rowCount
        let taken = min(batch.rowCount, maxRows - shownRowCount)
        guard taken > 0 else { return }
        for (k, column) in batch.columns.enumerated() {
            if renderers[k].type != column.type {
                renderers[k] = ColumnRenderer(type: column.type, style: .display)
            }
            let renderer = renderers[k]
            renderer.render(column, rows: 0..<taken)
            for row in 0..<taken {
                columns[k].append(renderer.cells.cell(row), maxWidth: maxCellWidth)
            }
        }
        shownRowCount += taken
    }

    public mutating func finish(to output: inout BufferBuilder) {
        var text: [UInt8] = []
        if !columns.isEmpty {
            let widths = columns.map(\.width)
            drawRule(&text, widths, left: "┌", middle: "┬", right: "┐")
            drawLine(&text, widths) { k in (columns[k].name, .center) }
            drawLine(&text, widths) { k in (columns[k].type, .center) }
            if shownRowCount > 0 {
                drawRule(&text, widths, left: "├", middle: "┼", right: "┤")
                for row in 0..<shownRowCount {
                    drawLine(&text, widths) { k in
                        (columns[k].cell(row), columns[k].alignsRight ? .right : .left)
                    }
                }
            }
            drawRule(&text, widths, left: "└", middle: "┴", right: "┘")
        }
        var footer = rowCount == 1 ? "1 row" : "\(rowCount) rows"
        if shownRowCount < rowCount { footer += " (showing first \(shownRowCount))" }
        text += Array(footer.utf8)
        text.append(0x0A)
        output.append(contentsOf: text)
    }

    private enum Alignment { case left, center, right }

    private func drawRule(_ text: inout [UInt8], _ widths: [Int], left: String, middle: String, right: String) {
        text += Array(left.utf8)
        for (k, width) in widths.enumerated() {
            if k > 0 { text += Array(middle.utf8) }
            for _ in 0..<(width + 2) { text += Array("─".utf8) }
        }
        text += Array(right.utf8)
        text.append(0x0A)
    }

    private func drawLine(_ text: inout [UInt8], _ widths: [Int], cell: (Int) -> (TableCell, Alignment)) {
        let bar = Array("│".utf8)
        text += bar
        for (k, width) in widths.enumerated() {
            let (content, alignment) = cell(k)
            let padding = width - content.width
            let before = switch alignment {
            case .left: 0
            case .center: padding / 2
            case .right: padding
            }
            text.append(0x20)
            text += repeatElement(0x20, count: before)
            text += content.bytes
            text += repeatElement(0x20, count: padding - before)
            text.append(0x20)
            text += bar
        }
        text.append(0x0A)
    }

    private static func isNumeric(_ type: DataType) -> Bool {
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64,
             .float16, .float32, .float64, .decimal:
            true
        default:
            false
        }
    }

    /// `text` with control characters escaped, as cells show text.
    private static func displayText(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        return [UInt8](unsafeUninitializedCapacity: UTF8Text.maxDisplayTextByteCount(utf8.count)) { out, count in
            count = utf8.withUnsafeBufferPointer { source in
                guard let start = source.baseAddress else { return 0 }
                return UTF8Text.writeDisplayText(start, count: source.count, to: out.baseAddress!)
            }
        }
    }
}
