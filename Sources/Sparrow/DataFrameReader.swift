import Query

/// `session.read`: DataFrames over files.
public struct DataFrameReader: Sendable {
    let session: Session

    public func parquet(_ path: String) throws -> DataFrame { try load(path, format: "parquet") }
    /// A CSV file, with types inferred from the whole file.
    public func csv(_ path: String) throws -> DataFrame { try load(path, format: "csv") }

    public func load(_ path: String, format: String) throws -> DataFrame {
        DataFrame(session: session, plan: try session.catalog.relation(for: TableName(path, format: format)))
    }
}
