import CLZ4
import Columnar

/// `LZ4` (deprecated codec 5): Hadoop's LZ4 framing on write; on read, whatever writers have
/// stored under this codec.
///
/// The Hadoop framing (Hadoop's `Lz4Codec`, used by parquet-mr) is a sequence of blocks, each a
/// 4-byte big-endian uncompressed size, a 4-byte big-endian compressed size and a raw LZ4 block.
/// Reading follows Arrow C++ and arrow-rs: Hadoop framing if the whole input parses as such and
/// fills the output exactly; otherwise one raw LZ4 block (older parquet-cpp); otherwise the LZ4
/// frame format of lz4frame.h (older arrow-rs), decoded with a kept `LZ4F_dctx`.
///
/// Implementation notes: writing splits the input into blocks of `hadoopBlockSize` bytes, as
/// parquet-mr does (ARROW-11301, parquet-testing's hadoop_lz4_compressed_larger.parquet). Hadoop's
/// decompressor decodes each block into a 256 KiB buffer (`io.compression.codec.lz4.buffersize`),
/// so a single block per page, as Arrow C++ and arrow-rs write, fails in Spark for larger pages
/// (apache/datafusion#14105). LZ4 matches reach back only 64 KiB, so splitting costs little ratio.
public final class LZ4HadoopCodec: Codec {
    /// The largest uncompressed size of one block this codec writes.
    public static let hadoopBlockSize = 128 * 1024

    private static let frameMagic: UInt32 = 0x184D_2204
    private var frameContext: OpaquePointer?

    public init() {}

    deinit {
        if let frameContext { LZ4F_freeDecompressionContext(frameContext) }
    }

    /// Writes Hadoop-framed blocks, each compressed with `LZ4_compress_default`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout BufferBuilder) throws {
        var offset = 0
        repeat {
            let count = min(Self.hadoopBlockSize, input.count - offset)
            let prefix = output.count
            output.append(UInt32(count).bigEndian)
            output.append(UInt32(0))
            let compressed = try LZ4RawCodec.compressBlock(
                UnsafeRawBufferPointer(rebasing: input[offset..<offset + count]), into: &output)
            output.store(UInt32(compressed).bigEndian, at: prefix + 4)
            offset += count
        } while offset < input.count
    }

    /// Tries the Hadoop framing, a raw LZ4 block, then LZ4 frames (`LZ4F_decompress`).
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        if Self.decompressHadoop(input, into: output) { return }
        if LZ4RawCodec.decompressBlock(input, into: output) == output.count { return }
        if input.count >= 4, UInt32(littleEndian: input.loadUnaligned(as: UInt32.self)) == Self.frameMagic {
            try decompressFrames(input, into: output)
            return
        }
        throw ParquetError.corrupt(
            "LZ4 data is neither Hadoop-framed blocks, a raw LZ4 block nor an LZ4 frame that expands to the "
                + "\(output.count) bytes the page header declares")
    }

    /// True if `input` is entirely Hadoop-framed blocks that fill `output` exactly.
    static func decompressHadoop(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        var inputOffset = 0
        var outputOffset = 0
        while input.count - inputOffset >= 8 {
            let expanded = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: inputOffset, as: UInt32.self)))
            let compressed = Int(UInt32(bigEndian: input.loadUnaligned(fromByteOffset: inputOffset + 4, as: UInt32.self)))
            inputOffset += 8
            guard compressed <= input.count - inputOffset, expanded <= output.count - outputOffset else { return false }
            let block = UnsafeRawBufferPointer(rebasing: input[inputOffset..<inputOffset + compressed])
            let target = UnsafeMutableRawBufferPointer(rebasing: output[outputOffset..<outputOffset + expanded])
            guard LZ4RawCodec.decompressBlock(block, into: target) == expanded else { return false }
            inputOffset += compressed
            outputOffset += expanded
        }
        return inputOffset == input.count && outputOffset == output.count
    }

    /// Decodes concatenated LZ4 frames; every `LZ4F_decompress` call consumes or produces at
    /// least one byte, or the loop stops.
    private func decompressFrames(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let context = try frameContext ?? makeFrameContext()
        LZ4F_resetDecompressionContext(context)
        var inputOffset = 0
        var outputOffset = 0
        var hint = 0  // 0 once a frame is complete
        while inputOffset < input.count {
            var consumed = input.count - inputOffset
            var produced = output.count - outputOffset
            hint = LZ4F_decompress(
                context, output.cStart + outputOffset, &produced, input.cStart + inputOffset, &consumed, nil)
            guard LZ4F_isError(hint) == 0 else {
                throw ParquetError.corrupt("LZ4 frame: \(String(cString: LZ4F_getErrorName(hint)))")
            }
            if consumed == 0 && produced == 0 { throw ParquetError.tooLarge(.lz4, declared: output.count) }
            inputOffset += consumed
            outputOffset += produced
        }
        guard hint == 0 else { throw ParquetError.corrupt("LZ4 frame is truncated") }
        guard outputOffset == output.count else {
            throw ParquetError.sizeMismatch(.lz4, produced: outputOffset, declared: output.count)
        }
    }

    private func makeFrameContext() throws -> OpaquePointer {
        var context: OpaquePointer?
        let status = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(status) == 0, let context else {
            throw ParquetError.invalidArgument("LZ4F_createDecompressionContext failed")
        }
        frameContext = context
        return context
    }
}
