/// A set of equally long columns with a schema: the unit that flows between readers, operators
/// and writers.
public struct RecordBatch: Sendable {
    public let schema: Schema
    public let columns: [Column]
    public let rowCount: Int

    public init(schema: Schema, columns: [Column]) {
        precondition(schema.fields.count == columns.count, "schema has \(schema.fields.count) fields, batch \(columns.count) columns")
        let rows = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == rows }, "columns of different lengths")
        self.schema = schema
        self.columns = columns
        self.rowCount = rows
    }

    /// A batch with no columns but `rowCount` rows (what `count(*)` over no columns needs).
    public init(schema: Schema, columns: [Column], rowCount: Int) {
        precondition(columns.allSatisfy { $0.count == rowCount }, "columns of different lengths")
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    public func column(named name: String) -> Column? {
        schema.index(of: name).map { columns[$0] }
    }

    /// Rows `range`, copied.
    public func slice(_ range: Range<Int>) -> RecordBatch {
        RecordBatch(schema: schema, columns: columns.map { $0.slice(range) }, rowCount: range.count)
    }
}
