import Parquet

/// What a dataset write produced.
public struct PartitionedWriteReport: Sendable {
    /// One data file: its path under the target, its rows and size in bytes.
    public struct File: Sendable, Hashable {
        public let relativePath: String
        public let rows: Int
        public let bytes: Int
    }

    public let target: String
    /// The data files, in the order they were written (`_SUCCESS` not included).
    public let files: [File]
    /// Partition directories written (0 without partition columns).
    public let partitions: Int
    public let codec: CompressionCodec

    public var rows: Int { files.reduce(0) { $0 + $1.rows } }
    public var bytes: Int { files.reduce(0) { $0 + $1.bytes } }
}
