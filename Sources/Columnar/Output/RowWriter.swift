/// Renders batches column by column and writes them row by row through a `RowTemplate`: the
/// shared engine of the JSON Lines, JSON and CSV formatters.
final class RowWriter {
    let schema: Schema
    let template: RowTemplate
    private var renderers: [ColumnRenderer]

    init(schema: Schema, style: CellStyle, template: RowTemplate) {
        precondition(template.cellCount == schema.fields.count, "template for \(template.cellCount) columns, schema has \(schema.fields.count)")
        self.schema = schema
        self.template = template
        renderers = schema.fields.map { ColumnRenderer(type: $0.type, style: style) }
    }

    /// Appends all rows of `batch` to `output`.
    func write(_ batch: RecordBatch, to output: inout BufferBuilder) {
        precondition(batch.columns.count == renderers.count,
                     "batch has \(batch.columns.count) columns, the schema \(renderers.count)")
        let rows = 0..<batch.rowCount
        var cellBytes = 0
        for (k, column) in batch.columns.enumerated() {
            if renderers[k].type != column.type {
                renderers[k] = ColumnRenderer(type: column.type, style: renderers[k].style)
            }
            renderers[k].render(column, rows: rows)
            cellBytes += renderers[k].cells.byteCount
        }
        let total = cellBytes + rows.count * template.fixedByteCount
        let views = renderers.map { $0.cells.view }
        views.withUnsafeBufferPointer { columns in
            output.appendUninitialized(maxByteCount: total) { raw in
                template.write(
                    columns, cellRange: rows, validity: nil, validityOffset: 0, nullText: "",
                    to: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), position: 0, rowEnds: nil)
            }
        }
    }
}
