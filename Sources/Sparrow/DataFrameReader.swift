import Columnar
import Execution
import Query

/// `session.read`: DataFrames over files and directories of files.
public struct DataFrameReader: Sendable {
    let session: Session
    var userSchema: [Field] = []

    init(session: Session) {
        self.session = session
    }

    /// Types for a dataset's partition columns in Spark's DDL form (`"order_date DATE, region STRING"`),
    /// instead of the inferred ones. File columns keep their Parquet types; naming one with another
    /// type is an error.
    public func schema(_ ddl: String) throws -> DataFrameReader {
        var reader = self
        reader.userSchema = try SQLParser.parseSchema(ddl)
        return reader
    }

    /// A Parquet file, or a directory of them (Hive `key=value` directories become columns).
    public func parquet(_ path: String) throws -> DataFrame { try load(path, format: "parquet") }
    /// A CSV file, with types inferred from the whole file.
    public func csv(_ path: String) throws -> DataFrame { try load(path, format: "csv") }

    public func load(_ path: String, format: String) throws -> DataFrame {
        var options = session.catalog.datasetOptions.withLock { $0 }
        for field in userSchema { options.partitionTypes[field.name.lowercased()] = field.type }
        let plan = try session.catalog.relation(path: path, format: format, options: options)
        if !userSchema.isEmpty, case .subqueryAlias(_, .scan(let scan)) = plan {
            let partitionNames = Set((scan.source as? ParquetTableSource)?.dataset?.partitionColumns.map { $0.name.lowercased() } ?? [])
            for field in userSchema where !partitionNames.contains(field.name.lowercased()) {
                guard let column = scan.source.schema.fields.first(where: { $0.name.lowercased() == field.name.lowercased() }) else {
                    throw QueryError.unresolved(kind: "column", name: field.name,
                                                candidates: NameSuggestions.closest(to: field.name, among: scan.source.schema.fields.map(\.name)))
                }
                guard column.type == field.type else {
                    throw SessionError.invalidArgument("\(path): column '\(column.name)' is \(column.type.sqlName) in the files; a schema can change the types of partition columns only")
                }
            }
        }
        return DataFrame(session: session, plan: plan)
    }
}
