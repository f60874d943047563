/// CSV (`--format csv`), RFC 4180: a header row with the column names, then one record per row,
/// `\n` line ends.
///
/// A field is quoted only when it contains the delimiter, a quote, CR or LF (quotes doubled). Null
/// is an empty unquoted field and the empty string `""`. Values are spelled as in JSON without the
/// quotes around text (`2024-01-31`, `NaN`, base64 binary); lists, structs and maps are their
/// compact JSON text. Text bytes are copied unchanged (no UTF-8 repair).
public struct CSVFormatter: RecordBatchFormatter {
    public let delimiter: UInt8
    public let includesHeader: Bool
    private var rows: RowWriter?

    /// `delimiter` may not be a quote, CR or LF.
    public init(delimiter: UInt8 = UInt8(ascii: ","), includesHeader: Bool = true) {
        precondition(delimiter != 0x22 && delimiter != 0x0A && delimiter != 0x0D, "the CSV delimiter cannot be a quote or a line break")
        self.delimiter = delimiter
        self.includesHeader = includesHeader
    }

    public mutating func begin(schema: Schema, to output: inout BufferBuilder) {
        let template = RowTemplate.delimited(cellCount: schema.fields.count, delimiter: delimiter, terminator: [0x0A])
        rows = RowWriter(schema: schema, style: .csv(delimiter: delimiter), template: template)
        guard includesHeader else { return }
        for (k, field) in schema.fields.enumerated() {
            if k > 0 { output.append(delimiter) }
            let name = Array(field.name.utf8)
            guard !name.isEmpty else {
                output.append(contentsOf: [0x22, 0x22])
                continue
            }
            name.withUnsafeBufferPointer { name in
                output.appendUninitialized(maxByteCount: CSVText.maxFieldByteCount(name.count)) { raw in
                    CSVText.writeField(name.baseAddress!, count: name.count, delimiter: delimiter,
                                       to: raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        output.append(UInt8(0x0A))
    }

    public mutating func write(_ batch: RecordBatch, to output: inout BufferBuilder) {
        guard let rows else { preconditionFailure("write before begin") }
        rows.write(batch, to: &output)
    }

    public mutating func finish(to output: inout BufferBuilder) {}
}
