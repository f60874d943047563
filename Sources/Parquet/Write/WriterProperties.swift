import Columnar

/// How a Parquet file is written: codec, sizes, encodings and metadata.
public struct WriterProperties: Sendable {
    public var compression: CompressionCodec = .zstd
    /// Codec level; nil uses the codec's default.
    public var compressionLevel: Int? = nil
    /// A row group is closed after this many rows...
    public var rowGroupRows: Int = 1_048_576
    /// ...or once its encoded, compressed column chunks reach this many bytes.
    public var rowGroupBytes: Int = 256 << 20
    /// Target size of a data page before compression.
    public var dataPageSize: Int = 1 << 20
    /// At most this many rows per data page, so page-level statistics stay useful.
    public var dataPageRowLimit: Int = 20_000
    /// Dictionary-encode columns (all types but boolean) until the dictionary outgrows
    /// `dictionaryPageSizeLimit`, then fall back to PLAIN for the rest of the column chunk.
    public var dictionaryEnabled: Bool = true
    public var dictionaryPageSizeLimit: Int = 1 << 20
    /// Write min/max/null_count statistics per column chunk.
    public var statisticsEnabled: Bool = true
    /// Binary min/max values longer than this are truncated and marked inexact.
    public var statisticsTruncateLength: Int = 64
    /// Write data pages in the v2 format (levels uncompressed, outside the compressed values).
    public var dataPageV2: Bool = false
    /// Store a CRC-32 in each page header.
    public var pageChecksums: Bool = false
    /// Extra key/value metadata for the footer.
    public var keyValueMetadata: [(key: String, value: String?)] = []
    /// Writer identification stored in `created_by`.
    public var createdBy: String = "Sparrow version \(SparrowVersion.string)"

    public init() {}
}

/// Sparrow's version, as written into `created_by`.
public enum SparrowVersion {
    public static let string = "0.1.0"
}
