/// JSON Lines (`--format jsonl`): one compact JSON object per row, keys in column order, each on
/// its own line: `{"a":1,"b":"x"}`.
///
/// Values follow the Sparrow output conventions: exact integers and decimals, shortest round-trip
/// floats (NaN and infinities as strings), ISO 8601 dates and timestamps, base64 binary, lists as
/// arrays, structs as objects, maps as objects (string keys) or arrays of key/value objects.
public struct JSONLinesFormatter: RecordBatchFormatter {
    private var rows: RowWriter?

    public init() {}

    public mutating func begin(schema: Schema, to output: inout BufferBuilder) {
        let template = RowTemplate.jsonObject(keys: schema.fields.map(\.name), close: "}\n")
        rows = RowWriter(schema: schema, style: .json, template: template)
    }

    public mutating func write(_ batch: RecordBatch, to output: inout BufferBuilder) {
        guard let rows else { preconditionFailure("write before begin") }
        rows.write(batch, to: &output)
    }

    public mutating func finish(to output: inout BufferBuilder) {}
}
