/// JSON (`--format json`): one JSON array of the row objects of `JSONLinesFormatter`, one row per
/// line:
///
///     [
///     {"a":1},
///     {"a":2}
///     ]
///
/// No rows give `[]`. The output ends with a newline.
public struct JSONFormatter: RecordBatchFormatter {
    private var rows: RowWriter?
    private var hasRows = false

    public init() {}

    public mutating func begin(schema: Schema, to output: inout BufferBuilder) {
        // Every row starts with ",\n"; the very first row's comma becomes the opening bracket.
        let template = RowTemplate.jsonObject(keys: schema.fields.map(\.name), open: ",\n{", close: "}")
        rows = RowWriter(schema: schema, style: .json, template: template)
        hasRows = false
    }

    public mutating func write(_ batch: RecordBatch, to output: inout BufferBuilder) {
        guard let rows else { preconditionFailure("write before begin") }
        let start = output.count
        rows.write(batch, to: &output)
        if !hasRows && batch.rowCount > 0 {
            output.store(UInt8(ascii: "["), at: start)
            hasRows = true
        }
    }

    public mutating func finish(to output: inout BufferBuilder) {
        output.append(contentsOf: Array((hasRows ? "\n]\n" : "[]\n").utf8))
    }
}
