import Columnar
import Parquet

/// A column chunk's statistics bounds as JSON value text, for `inspect`.
struct StatisticsValues {
    let min: String?
    let max: String?

    init(_ statistics: Statistics, column: ColumnDescriptor, metadata: FileMetaData) {
        let bounds = StatisticsBounds(statistics, column: column)
        min = bounds.min.map(Self.jsonText)
        max = bounds.max.map(Self.jsonText)
    }

    /// The value of a one-row column as the JSON text `--format jsonl` would print.
    static func jsonText(_ column: Column) -> String {
        let batch = RecordBatch(schema: Schema([Field("v", column.type)]), columns: [column])
        var formatter = JSONLinesFormatter()
        var output = BufferBuilder(capacity: 64)
        formatter.begin(schema: batch.schema, to: &output)
        formatter.write(batch, to: &output)
        formatter.finish(to: &output)
        let line = output.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        // {"v":VALUE}\n
        return String(line.dropFirst(5).dropLast(2))
    }
}
