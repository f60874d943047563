/// Turns a stream of record batches into the bytes of one output format (jsonl, json, csv, table).
///
/// A formatter is driven as `begin(schema:to:)`, then `write(_:to:)` once per batch, then
/// `finish(to:)`. Each call appends to `output`, which the caller flushes (e.g. to stdout) and may
/// empty between calls. Streaming formatters (`JSONLinesFormatter`, `JSONFormatter`,
/// `CSVFormatter`) write a batch's rows in `write`; `TableFormatter` buffers up to its display
/// limit and writes the whole table in `finish`, because column widths depend on every row shown.
///
/// Every batch must have the schema's columns, in order, with the schema's types (their storage,
/// plain or dictionary encoded, may change from batch to batch). A formatter keeps buffers between
/// calls and is meant for one stream on one thread; copies share those buffers.
public protocol RecordBatchFormatter {
    /// Writes what precedes the rows: a header, an opening bracket.
    mutating func begin(schema: Schema, to output: inout BufferBuilder)
    /// Writes (or buffers) the rows of `batch`.
    mutating func write(_ batch: RecordBatch, to output: inout BufferBuilder)
    /// Writes what follows the rows: a closing bracket, the buffered table and its footer.
    mutating func finish(to output: inout BufferBuilder)
}
