import CZstd
import Columnar
import Synchronization

/// `ZSTD`: Zstandard over libzstd, with one compression and one decompression context kept
/// across calls.
///
/// Compression writes a single frame that records the content size (`ZSTD_compressCCtx`).
/// Decompression (`ZSTD_decompressDCtx`) takes any sequence of frames: with or without a content
/// size (streaming writers leave it out), several concatenated, and skippable frames.
///
/// Implementation notes: the default level is 3, libzstd's own default (`ZSTD_CLEVEL_DEFAULT`)
/// and parquet-mr's; pyarrow (Arrow C++) and arrow-rs default to 1.
public final class ZstdCodec: Codec {
    public static let defaultLevel = 3
    /// Every level libzstd accepts (`ZSTD_minCLevel()...ZSTD_maxCLevel()`) except 0, which is
    /// libzstd's alias for its default. Negative levels trade ratio for speed.
    public static let levelRange = Int(ZSTD_minCLevel())...Int(ZSTD_maxCLevel())

    public let level: Int
    private var compressionContext: OpaquePointer?
    private var decompressionContext: OpaquePointer?

    /// Throws `.invalidArgument` unless `level` is in `levelRange` and not 0.
    public init(level: Int = ZstdCodec.defaultLevel) throws {
        guard level != 0, Self.levelRange.contains(level) else {
            throw ParquetError.invalidLevel(
                .zstd, level, valid: "1...\(Self.levelRange.upperBound) and \(Self.levelRange.lowerBound)...-1")
        }
        self.level = level
    }

    /// Contexts of codecs that are gone, kept for the next ones (as addresses, which are
    /// `Sendable`): a scan of thousands of small files makes a codec per column chunk, and
    /// creating a context each time cost about a seventh of such a scan's CPU time.
    private static let idleCompressionContexts = Mutex<[UInt]>([])
    private static let idleDecompressionContexts = Mutex<[UInt]>([])
    private static let maxIdleContexts = 16

    deinit {
        if let context = compressionContext, !Self.park(context, in: Self.idleCompressionContexts) { ZSTD_freeCCtx(context) }
        if let context = decompressionContext, !Self.park(context, in: Self.idleDecompressionContexts) { ZSTD_freeDCtx(context) }
    }

    /// Keeps `context` for a later codec; false when enough are kept already.
    private static func park(_ context: OpaquePointer, in idle: borrowing Mutex<[UInt]>) -> Bool {
        idle.withLock { idle in
            guard idle.count < maxIdleContexts else { return false }
            idle.append(UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(context))))
            return true
        }
    }

    private static func unpark(from idle: borrowing Mutex<[UInt]>) -> OpaquePointer? {
        idle.withLock { $0.popLast() }.flatMap { OpaquePointer(bitPattern: $0) }
    }

    /// Compresses with `ZSTD_compressCCtx` into `ZSTD_compressBound(input.count)` bytes of room.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout BufferBuilder) throws {
        let context = try compressionContext ?? makeCompressionContext()
        let bound = ZSTD_compressBound(input.count)
        guard ZSTD_isError(bound) == 0 else {
            throw ParquetError.invalidArgument("ZSTD cannot compress \(input.count) bytes at once")
        }
        try output.appendUninitialized(maxByteCount: bound) { destination in
            let written = ZSTD_compressCCtx(
                context, destination.cStart, destination.count, input.cStart, input.count, Int32(level))
            guard ZSTD_isError(written) == 0 else {
                throw ParquetError.invalidArgument("ZSTD compression failed: \(Self.errorName(written))")
            }
            return written
        }
    }

    /// Decompresses with `ZSTD_decompressDCtx`, which never writes past `output` and fails as soon
    /// as a frame header or block says the data would not fit.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let context = try decompressionContext ?? makeDecompressionContext()
        let produced = ZSTD_decompressDCtx(context, output.cStart, output.count, input.cStart, input.count)
        guard ZSTD_isError(produced) == 0 else {
            throw ParquetError.corrupt(
                "ZSTD: \(Self.errorName(produced)) (the page header declares \(output.count) bytes)")
        }
        guard produced == output.count else {
            throw ParquetError.sizeMismatch(.zstd, produced: produced, declared: output.count)
        }
    }

    private func makeCompressionContext() throws -> OpaquePointer {
        guard let context = Self.unpark(from: Self.idleCompressionContexts) ?? ZSTD_createCCtx() else {
            throw ParquetError.invalidArgument("ZSTD_createCCtx failed: out of memory")
        }
        compressionContext = context
        return context
    }

    private func makeDecompressionContext() throws -> OpaquePointer {
        guard let context = Self.unpark(from: Self.idleDecompressionContexts) ?? ZSTD_createDCtx() else {
            throw ParquetError.invalidArgument("ZSTD_createDCtx failed: out of memory")
        }
        decompressionContext = context
        return context
    }

    private static func errorName(_ code: Int) -> String { String(cString: ZSTD_getErrorName(code)) }
}
