/// Makes the `Codec` for a column chunk's `CompressionCodec`.
public enum CodecFactory {
    /// Returns a new codec for `codec`, compressing at `level` (the codec's default when nil).
    ///
    /// Levels exist for ZSTD (`ZstdCodec.levelRange` without 0), GZIP (0...9) and BROTLI (0...11);
    /// a level outside the range, or any level for a codec without levels, is
    /// `ParquetError.invalidArgument`. LZO and codec numbers this build does not know are
    /// `ParquetError.unsupported`.
    public static func make(_ codec: CompressionCodec, level: Int? = nil) throws -> any Codec {
        switch codec {
        case .zstd:
            return try ZstdCodec(level: level ?? ZstdCodec.defaultLevel)
        case .gzip:
            return try GzipCodec(level: level ?? GzipCodec.defaultLevel)
        case .brotli:
            return try BrotliCodec(level: level ?? BrotliCodec.defaultLevel)
        case .lzo:
            throw ParquetError.unsupported("LZO compression")
        case .uncompressed, .snappy, .lz4, .lz4Raw:
            if let level {
                throw ParquetError.invalidArgument("\(codec) has no compression levels (got level \(level))")
            }
            switch codec {
            case .uncompressed: return UncompressedCodec()
            case .snappy: return SnappyCodec()
            case .lz4: return LZ4HadoopCodec()
            default: return LZ4RawCodec()
            }
        default:
            throw ParquetError.unsupported("compression codec \(codec)")
        }
    }
}
