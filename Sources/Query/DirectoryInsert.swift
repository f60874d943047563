/// `INSERT OVERWRITE DIRECTORY '/path' USING parquet [OPTIONS ('k' = 'v', …)]
/// [PARTITIONED BY (col, …)] query`: the query's rows written as a dataset directory.
///
/// Spark's statement, plus two Sparrow extensions: `PARTITIONED BY` writes the Hive layout
/// (`path/col=value/…`), and `INSERT INTO DIRECTORY` adds files instead of replacing the
/// directory. The path may instead be given as the `path` option, as in Spark.
public struct DirectoryInsert: Sendable {
    public var path: String
    /// The data source format, lower-cased (only `parquet` is written).
    public var format: String
    /// `OPTIONS` in the order written, keys as written.
    public var options: [(key: String, value: String)]
    public var partitionColumns: [String]
    /// OVERWRITE (true) or INTO (false).
    public var overwrite: Bool
    public var query: LogicalPlan

    public init(path: String, format: String, options: [(key: String, value: String)], partitionColumns: [String],
                overwrite: Bool, query: LogicalPlan) {
        self.path = path
        self.format = format
        self.options = options
        self.partitionColumns = partitionColumns
        self.overwrite = overwrite
        self.query = query
    }
}
