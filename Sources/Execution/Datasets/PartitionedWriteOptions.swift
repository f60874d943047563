import Parquet

/// How `PartitionedDatasetWriter` lays out and writes a dataset.
public struct PartitionedWriteOptions: Sendable {
    /// Columns whose values name the directories (`order_date=1995-03-01/region=EUROPE`), in
    /// directory order; they are not stored in the files. Matched to the schema exactly, else
    /// ignoring case. Empty: the files go directly into the target.
    public var partitionColumns: [String] = []
    public var mode: DatasetWriteMode = .errorIfExists
    /// At most this many rows per file (Spark's `maxRecordsPerFile`); 0 for no limit.
    public var maxRowsPerFile: Int = 0
    /// Codec, row group size and the rest, for every file.
    public var properties = WriterProperties()
    /// Files written at once (one thread each); without partition columns, the threads that
    /// encode the columns of the one file being written.
    public var threads: Int = ProcessInfoCores.count
    /// Rows are buffered up to about this many bytes of column data, then grouped by partition
    /// and written out, one file per partition present; a larger buffer means fewer, larger
    /// files when the input is spread over many partitions.
    public var bufferBytes: Int = 256 << 20
    /// Called as partitioned files are written: the data files written so far and the number
    /// there will be when the current flush is done. Called from the writing threads, one call
    /// at a time.
    public var progress: (@Sendable (_ written: Int, _ planned: Int) -> Void)?

    public init() {}
}
