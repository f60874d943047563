import Columnar
import Parquet
import Query

/// How one file of a table supplies a scan's output columns: which of its fields to read, and for
/// each output column whether it comes from those fields, is missing from the file (nulls, as when
/// a later file added a column), or is a partition column (the file's directory value).
struct FileProjection {
    enum Source {
        case field(Int)
        case missing(DataType)
        case partition(ScalarValue)
    }

    /// The file's top-level fields to read, in the order the reader returns them.
    let fileFields: [Int]
    let sources: [Source]

    /// `fields` index the table schema; file columns are matched by name (exactly, then ignoring
    /// case, as Spark does).
    init(reader: ParquetFileReader, table: ParquetTableSource, fields: [Int], partitionValues: [ScalarValue]) throws {
        let fileSchema = reader.schema.schema
        let fileColumns = table.fileColumnCount
        var fileFields: [Int] = []
        var sources: [Source] = []
        for field in fields {
            let column = table.schema.fields[field]
            if field >= fileColumns {
                sources.append(.partition(partitionValues[field - fileColumns]))
                continue
            }
            guard let index = fileSchema.index(of: column.name)
                    ?? fileSchema.fields.firstIndex(where: { $0.name.lowercased() == column.name.lowercased() }) else {
                sources.append(.missing(column.type))
                continue
            }
            guard fileSchema.fields[index].type == column.type else {
                throw ExecutionError.input(path: reader.path, detail: "column '\(column.name)' is \(fileSchema.fields[index].type.sqlName) in this file but \(column.type.sqlName) in the table")
            }
            sources.append(.field(fileFields.count))
            fileFields.append(index)
        }
        self.fileFields = fileFields
        self.sources = sources
    }

    /// True when the projection is the file's fields as read: no column to add.
    var isPlain: Bool {
        sources.enumerated().allSatisfy { i, source in if case .field(let j) = source { j == i } else { false } }
    }

    /// The output batch for `rows` rows whose file columns are `columns` (in `fileFields` order).
    func assemble(_ columns: [Column], rows: Int, schema: Schema, constants: inout [Int: Column]) throws -> RecordBatch {
        var output: [Column] = []
        output.reserveCapacity(sources.count)
        for (i, source) in sources.enumerated() {
            switch source {
            case .field(let j):
                output.append(columns[j])
            case .missing(let type):
                output.append(.nulls(type, count: rows))
            case .partition(let value):
                if let cached = constants[i], cached.count == rows {
                    output.append(cached)
                } else {
                    let column = try Self.constant(value, count: rows)
                    constants[i] = column
                    output.append(column)
                }
            }
        }
        return RecordBatch(schema: schema, columns: output, rowCount: rows)
    }

    /// `count` copies of a value: text as a one-entry dictionary (kernels work per entry), other
    /// types spelled out.
    static func constant(_ value: ScalarValue, count: Int) throws -> Column {
        if value.isNull { return .nulls(value.type, count: count) }
        let one = try LiteralColumns.column(value)
        let indices = Buffer(zeroedByteCount: count * MemoryLayout<Int32>.size)
        if value.type.isText {
            return Column(type: value.type, count: count, validity: nil, storage: .dictionary(indices: indices, dictionary: one))
        }
        return one.gather(indices: indices, count: count)
    }
}
