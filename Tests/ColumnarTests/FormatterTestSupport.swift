@testable import Columnar

/// Runs `formatter` over `batches` (begin, write each, finish) and returns the bytes it produced.
func formattedBytes<F: RecordBatchFormatter>(_ formatter: F, schema: Schema, _ batches: [RecordBatch]) -> [UInt8] {
    var formatter = formatter
    var output = BufferBuilder()
    formatter.begin(schema: schema, to: &output)
    for batch in batches { formatter.write(batch, to: &output) }
    formatter.finish(to: &output)
    return output.withUnsafeBytes { Array($0) }
}

/// The output of `formatter` for one batch, as text.
func formatted<F: RecordBatchFormatter>(_ formatter: F, _ batch: RecordBatch) -> String {
    text(formattedBytes(formatter, schema: batch.schema, [batch]))
}

/// `bytes` as a string; invalid UTF-8 gives a description that equals no expected output (a plain
/// `String(decoding:)` would repair it and hide the fault).
func text(_ bytes: [UInt8]) -> String {
    let decoded = String(decoding: bytes, as: UTF8.self)
    guard Array(decoded.utf8) == bytes else {
        return "invalid UTF-8: " + bytes.map { String($0, radix: 16) }.joined(separator: " ")
    }
    return decoded
}

/// A batch with one column called `name`.
func singleColumnBatch(_ name: String = "v", _ column: Column) -> RecordBatch {
    RecordBatch(schema: Schema([Field(name, column.type)]), columns: [column])
}

/// Bytes from a hex string such as "00ff".
func hexBytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    precondition(digits.count.isMultiple(of: 2), "odd hex digit count")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
}

/// A fixed-width column from raw little-endian value bytes (one `[UInt8]` per value, nil for null).
func rawColumn(_ type: DataType, _ values: [[UInt8]?]) -> Column {
    let width = type.byteWidth!
    precondition(values.allSatisfy { $0 == nil || $0!.count == width }, "value of the wrong width")
    let bytes = values.flatMap { $0 ?? Array(repeating: 0, count: width) }
    let present = values.map { $0 != nil }
    return Column(type: type, count: values.count,
                  validity: present.allSatisfy { $0 } ? nil : Bitmap.buffer(from: present, count: present.count),
                  storage: .fixedWidth(Buffer(copying: bytes)))
}
