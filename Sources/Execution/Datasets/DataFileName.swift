import Parquet

/// Names of the data files a dataset write creates, as Spark names them:
/// `part-00003-5f0c….c000.zstd.parquet`.
///
/// The part number is distinct within one write job and the UUID is the job's, so files of
/// different jobs (appends) never collide; `c000`, `c001`… count the files that one partition's
/// rows were split into by `maxRowsPerFile` (Spark's file counter). The codec word is
/// parquet-mr's `CompressionCodecName` extension, which Spark uses: `snappy`, `gz`, `br`,
/// `zstd`, `lz4raw`, `lz4hadoop`, `lzo`, and none for uncompressed files.
enum DataFileName {
    static func codecExtension(_ codec: CompressionCodec) -> String {
        switch codec {
        case .snappy: ".snappy"
        case .gzip: ".gz"
        case .lzo: ".lzo"
        case .brotli: ".br"
        case .lz4: ".lz4hadoop"
        case .zstd: ".zstd"
        case .lz4Raw: ".lz4raw"
        default: ""
        }
    }

    static func make(part: Int, jobID: String, fileCounter: Int, codec: CompressionCodec) -> String {
        "part-" + padded(part, width: 5) + "-" + jobID + ".c" + padded(fileCounter, width: 3) + codecExtension(codec) + ".parquet"
    }

    private static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
