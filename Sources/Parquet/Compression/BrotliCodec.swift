import CBrotli
import Columnar

/// `BROTLI`: Brotli (RFC 7932) over libbrotlienc/libbrotlidec.
///
/// Compression is one `BrotliEncoderCompress` call with the default 4 MiB window (lgwin 22).
/// Decompression runs a `BrotliDecoderState` made for the call (the library cannot reset one)
/// through `BrotliDecoderDecompressStream`, which, unlike the one-shot `BrotliDecoderDecompress`,
/// tells a stream that is cut short from one that expands too far.
///
/// Implementation notes: the default quality 1 is arrow-rs's; pyarrow (Arrow C++) uses 8 and the
/// library 11, both far slower to write.
public final class BrotliCodec: Codec {
    public static let defaultLevel = 1
    public static let levelRange = Int(BROTLI_MIN_QUALITY)...Int(BROTLI_MAX_QUALITY)

    public let level: Int

    /// Throws `.invalidArgument` unless `level` is in `levelRange`.
    public init(level: Int = BrotliCodec.defaultLevel) throws {
        guard Self.levelRange.contains(level) else {
            throw ParquetError.invalidLevel(.brotli, level, valid: "\(Self.levelRange)")
        }
        self.level = level
    }

    /// Compresses into `BrotliEncoderMaxCompressedSize(input.count)` bytes, which
    /// `BrotliEncoderCompress` promises to respect at every quality.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout BufferBuilder) throws {
        let bound = BrotliEncoderMaxCompressedSize(input.count)
        guard bound > 0 else {
            throw ParquetError.invalidArgument("BROTLI cannot compress \(input.count) bytes at once")
        }
        try output.appendUninitialized(maxByteCount: bound) { destination in
            var written = destination.count
            let ok = BrotliEncoderCompress(
                Int32(level), BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.count,
                input.cStart.assumingMemoryBound(to: UInt8.self), &written,
                destination.cStart.assumingMemoryBound(to: UInt8.self))
            guard ok == BROTLI_TRUE else { throw ParquetError.invalidArgument("BROTLI compression failed") }
            return written
        }
    }

    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else {
            throw ParquetError.invalidArgument("BrotliDecoderCreateInstance failed: out of memory")
        }
        defer { BrotliDecoderDestroyInstance(state) }
        var availableIn = input.count
        var nextIn: UnsafePointer<UInt8>? = input.cStart.assumingMemoryBound(to: UInt8.self)
        var availableOut = output.count
        var nextOut: UnsafeMutablePointer<UInt8>? = output.cStart.assumingMemoryBound(to: UInt8.self)
        let result = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
        switch result {
        case BROTLI_DECODER_RESULT_SUCCESS:
            guard availableIn == 0 else {
                throw ParquetError.corrupt("BROTLI: \(availableIn) bytes after the end of the stream")
            }
            guard availableOut == 0 else {
                throw ParquetError.sizeMismatch(.brotli, produced: output.count - availableOut, declared: output.count)
            }
        case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
            throw ParquetError.tooLarge(.brotli, declared: output.count)
        case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
            throw ParquetError.corrupt("BROTLI data is truncated")
        default:
            let message = String(cString: BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state)))
            throw ParquetError.corrupt("BROTLI: \(message)")
        }
    }
}
